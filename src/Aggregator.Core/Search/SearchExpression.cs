using System.Text;

namespace Aggregator.Core.Model;

/// <summary>
/// A full-text query in the web-search style users already know: words (all must match), "quoted phrases",
/// a trailing * for prefixes, -word to exclude, OR between alternatives. Parsed here so that user text never reaches
/// the database's own query syntax: each store renders the terms in its own quoting.
/// </summary>
public sealed class SearchExpression
{
    /// <summary>Alternatives joined by OR; each is a set of terms that must all match.</summary>
    public IReadOnlyList<IReadOnlyList<SearchTerm>> Alternatives { get; }

    private SearchExpression(IReadOnlyList<IReadOnlyList<SearchTerm>> alternatives) => Alternatives = alternatives;

    public const int MaxLength = 500;
    public const int MaxTerms = 32;

    /// <exception cref="SearchSyntaxException">The text is not a valid query; the message says why.</exception>
    public static SearchExpression Parse(string text)
    {
        if (text.Length > MaxLength)
            throw new SearchSyntaxException($"The query is longer than {MaxLength} characters.");
        var alternatives = new List<IReadOnlyList<SearchTerm>>();
        var current = new List<SearchTerm>();
        var termCount = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var negated = false;
            if (c == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
            {
                negated = true;
                i++;
                c = text[i];
            }
            SearchTerm term;
            if (c == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                    throw new SearchSyntaxException($"Unclosed quote at position {i + 1}: close the phrase with \".");
                var words = Words(text.AsSpan(i + 1, close - i - 1));
                i = close + 1;
                var prefix = i < text.Length && text[i] == '*';
                if (prefix) i++;
                if (words.Count == 0) continue;
                term = new SearchTerm(words, prefix, negated);
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '"') i++;
                var raw = text[start..i];
                if (!negated && raw == "OR")
                {
                    if (current.Count == 0)
                        throw new SearchSyntaxException("OR needs a term on each side.");
                    alternatives.Add(current);
                    current = [];
                    continue;
                }
                var prefix = raw.EndsWith('*');
                var words = Words(raw.AsSpan());
                if (words.Count == 0) continue;
                term = new SearchTerm(words, prefix, negated);
            }
            if (++termCount > MaxTerms)
                throw new SearchSyntaxException($"The query has more than {MaxTerms} terms.");
            current.Add(term);
        }
        if (current.Count == 0)
            throw new SearchSyntaxException(alternatives.Count == 0 ? "The query has no words to search for." : "OR needs a term on each side.");
        alternatives.Add(current);
        foreach (var alternative in alternatives)
        {
            if (alternative.All(t => t.Negated))
                throw new SearchSyntaxException("A query cannot only exclude words: add a word to search for.");
        }
        return new SearchExpression(alternatives);
    }

    /// <summary>Splits on anything that is not a letter or digit, as the full-text tokenizers do.</summary>
    private static List<string> Words(ReadOnlySpan<char> text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) word.Append(c);
            else if (word.Length > 0) { words.Add(word.ToString()); word.Clear(); }
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }
}

/// <summary>A word or phrase (several words in a row); Prefix matches any word starting with the last one.</summary>
public sealed record SearchTerm(IReadOnlyList<string> Words, bool Prefix, bool Negated);

public sealed class SearchSyntaxException(string message) : Exception(message);
