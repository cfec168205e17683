using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Tagging;

/// <summary>
/// Turns tagged spans into <see cref="EntityMention"/>s and collapses mentions of one entity to one canonical name
/// within the document: gazetteer aliases map to the gazetteer canonical (U.S. → United States), and a country's
/// name, short form or acronym tagged as an organisation is the country, a location ("US", "Ivory Coast"); a leading
/// "the" and a trailing possessive are dropped; a surname or given name alone maps to the full person name used
/// earlier (or, failing that, later) in the document, as does any other part of a longer name ("Lula" for "Luiz
/// Inacio Lula da Silva"), a hyphenated surname ("Akufo-Addo" for "Nana Akufo-Addo"), the first and last name
/// without the middle ("Donald Trump" for "Donald J. Trump") and the end of a longer name ("Lula da Silva"); a
/// single-word organisation that is the first word of a longer one maps to it ("Toyota" after "Toyota Motor
/// Corp."); an acronym maps to its expansion ("IS" after "Islamic State"); an all-capitals mention (headline) takes
/// the spelling of the same name written in mixed case.
/// </summary>
internal static class EntityNormalizer
{
    private static readonly HashSet<string> InitialStopWords = new(StringComparer.OrdinalIgnoreCase)
    { "of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "in", "on", "&", "-", "'s", "at", "to" };

    /// <summary>Spans longer than this are not names (the longest real ones have about ten tokens): a tagger fooled by
    /// a long run of capitalised words must not produce a paragraph-long entity.</summary>
    private const int MaxEntityTokens = 16;

    /// <summary>How many mentions before and after a mention are searched for its full name, acronym expansion or
    /// spelling: enough for any story, and it keeps a document of thousands of mentions linear.</summary>
    private const int Window = 200;

    public static List<EntityMention> Build(string text, ReadOnlySpan<Token> tokens, ReadOnlySpan<byte> tags,
        ReadOnlySpan<ulong> lower, Gazetteer gazetteer)
    {
        var spans = Bilou.Decode(tags);
        var mentions = new List<EntityMention>(spans.Count);
        var tokenRanges = new List<(int S, int E)>(spans.Count);
        foreach (var span in spans)
        {
            int s = span.StartToken, e = span.EndToken;
            if (e - s >= MaxEntityTokens) continue;
            // Possessive clitic and stray punctuation at the end never belong to the name.
            while (e > s && IsPossessiveOrPunct(tokens[e].Span(text))) e--;
            string surface = text[tokens[s].Start..tokens[e].End];
            int cs = s;
            if (e > s && tokens[s].Span(text).Equals("the", StringComparison.OrdinalIgnoreCase)) cs++;
            var type = span.Type == EntityType.Organization && IsCountry(surface, lower[cs..(e + 1)], gazetteer) ? EntityType.Location : span.Type;
            string canonical = Canonical(text, tokens, lower, cs, e, type, gazetteer);
            mentions.Add(new EntityMention(tokens[s].Start, tokens[e].End, type, surface, canonical));
            tokenRanges.Add((cs, e));
        }

        // Document-level collapsing.
        var result = new List<EntityMention>(mentions.Count);
        for (int m = 0; m < mentions.Count; m++)
        {
            var mention = mentions[m];
            string? better = mention.Type == EntityType.Person
                ? PersonFullName(text, tokens, mentions, tokenRanges, m)
                : Expansion(text, tokens, mentions, tokenRanges, m)
                  ?? (mention.Type == EntityType.Organization ? OrganizationFullName(text, tokens, mentions, tokenRanges, m) : null);
            better ??= MixedCaseSpelling(mentions, m);
            result.Add(better is null ? mention : mention with { Canonical = better });
        }
        return result;
    }

    private static bool IsPossessiveOrPunct(ReadOnlySpan<char> s)
    {
        if (s.Length == 2 && Tokenizer.IsApostrophe(s[0]) && (s[1] == 's' || s[1] == 'S')) return true;
        foreach (char c in s) if (char.IsLetterOrDigit(c)) return false;
        return true;
    }

    private static string Canonical(string text, ReadOnlySpan<Token> tokens, ReadOnlySpan<ulong> lower, int s, int e,
        EntityType type, Gazetteer gazetteer)
    {
        var entries = gazetteer.Lookup(lower[s..(e + 1)]);
        if (entries != null)
            foreach (var (list, canonical) in entries)
                if (Compatible(list, type)) return canonical;
        // Collapse internal whitespace (line breaks in headlines and wrapped text).
        var sb = new System.Text.StringBuilder();
        for (int k = s; k <= e; k++)
        {
            if (k > s && (tokens[k].Flags & TokenFlags.SpaceBefore) != 0) sb.Append(' ');
            sb.Append(text, tokens[k].Start, tokens[k].Length);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The span is a country's name, short form or acronym and no organisation's: "US", "UAE" or "Ivory Coast" tagged as
    /// an organisation is the country (the "US Treasury" is not: the country is only part of it). Lower-case text
    /// ("us") is never a country.
    /// </summary>
    private static bool IsCountry(string surface, ReadOnlySpan<ulong> lower, Gazetteer gazetteer)
    {
        if (!surface.Any(char.IsUpper) || gazetteer.Lookup(lower) is not { } entries) return false;
        var country = false;
        foreach (var (list, _) in entries)
        {
            if (Compatible(list, EntityType.Organization)) return false;
            country |= list == GazetteerList.Country;
        }
        return country;
    }

    private static bool Compatible(GazetteerList list, EntityType type) => type switch
    {
        EntityType.Location => list is GazetteerList.Country or GazetteerList.City or GazetteerList.Region or GazetteerList.Building,
        EntityType.Organization => list is GazetteerList.OrgInternational or GazetteerList.OrgMilitant or GazetteerList.OrgParty
            or GazetteerList.OrgGovernment or GazetteerList.OrgCompany or GazetteerList.OrgMedia or GazetteerList.OrgSport
            or GazetteerList.OrgUniversity,
        _ => false,
    };

    /// <summary>Same name ignoring case and a short particle prefix ("al-Assad" and "Assad").</summary>
    private static bool SameName(string a, string b)
    {
        if (a.Equals(b, StringComparison.OrdinalIgnoreCase)) return true;
        static string StripParticle(string s)
        {
            int h = s.IndexOf('-');
            return h is > 0 and <= 3 && h + 1 < s.Length ? s[(h + 1)..] : s;
        }
        return StripParticle(a).Equals(StripParticle(b), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The words of a name: tokens joined without a space between them are one word ("Akufo-Addo", "U.S."), so a
    /// hyphenated surname compares as one.
    /// </summary>
    private static List<string> Words(string text, ReadOnlySpan<Token> tokens, int s, int e)
    {
        var words = new List<string>();
        int start = s;
        for (int k = s + 1; k <= e + 1; k++)
        {
            if (k <= e && (tokens[k].Flags & TokenFlags.SpaceBefore) == 0) continue;
            words.Add(text[tokens[start].Start..tokens[k - 1].End]);
            start = k;
        }
        return words;
    }

    private static string? PersonFullName(string text, ReadOnlySpan<Token> tokens, List<EntityMention> mentions,
        List<(int S, int E)> ranges, int m)
    {
        var (s, e) = ranges[m];
        var words = Words(text, tokens, s, e);
        // Earlier mentions first (nearest first), then later ones.
        for (int pass = 0; pass < 2; pass++)
        {
            int from = pass == 0 ? m - 1 : m + 1, step = pass == 0 ? -1 : 1;
            int to = pass == 0 ? Math.Max(-1, m - 1 - Window) : Math.Min(mentions.Count, m + 1 + Window);
            for (int o = from; o != to; o += step)
            {
                if (mentions[o].Type != EntityType.Person) continue;
                var (os, oe) = ranges[o];
                var other = Words(text, tokens, os, oe);
                if (other.Count > words.Count && IsShortFormOf(words, other)) return mentions[o].Canonical;
            }
        }
        return null;
    }

    /// <summary>
    /// A single word is the surname, the given name or another capitalised part of the longer name; several words are
    /// its first and last words without the middle ("Donald Trump" of "Donald J. Trump") or its end ("Lula da Silva").
    /// </summary>
    private static bool IsShortFormOf(List<string> words, List<string> longer)
    {
        if (words.Count == 1)
        {
            string word = words[0];
            if (SameName(longer[^1], word) || SameName(longer[0], word)) return true;
            for (int k = 1; k < longer.Count - 1; k++)
                if (longer[k].Length >= 3 && char.IsUpper(longer[k][0]) && SameName(longer[k], word)) return true;
            return false;
        }
        if (SameName(words[0], longer[0]) && SameName(words[^1], longer[^1])) return true;
        for (int k = 1; k <= words.Count; k++)
            if (!SameName(words[^k], longer[^k])) return false;
        return true;
    }

    private static string? OrganizationFullName(string text, ReadOnlySpan<Token> tokens, List<EntityMention> mentions,
        List<(int S, int E)> ranges, int m)
    {
        var (s, e) = ranges[m];
        if (e != s || tokens[s].Length < 3) return null;
        var word = tokens[s].Span(text);
        for (int o = m - 1; o >= 0 && o >= m - Window; o--)
        {
            var (os, oe) = ranges[o];
            if (oe == os || mentions[o].Type != EntityType.Organization) continue;
            if (tokens[os].Span(text).Equals(word, StringComparison.OrdinalIgnoreCase)) return mentions[o].Canonical;
        }
        return null;
    }

    private static string? Expansion(string text, ReadOnlySpan<Token> tokens, List<EntityMention> mentions,
        List<(int S, int E)> ranges, int m)
    {
        var (s, e) = ranges[m];
        if (e != s) return null;
        var w = tokens[s].Span(text);
        Span<char> letters = stackalloc char[8];
        int n = 0;
        foreach (char c in w)
        {
            if (c == '.') continue;
            if (!char.IsUpper(c) || n == letters.Length) return null;
            letters[n++] = c;
        }
        if (n < 2) return null;
        var acronym = letters[..n];
        Span<char> initials = stackalloc char[16];
        for (int pass = 0; pass < 2; pass++)
        {
            int from = pass == 0 ? m - 1 : m + 1, step = pass == 0 ? -1 : 1;
            int to = pass == 0 ? Math.Max(-1, m - 1 - Window) : Math.Min(mentions.Count, m + 1 + Window);
            for (int o = from; o != to; o += step)
            {
                var (os, oe) = ranges[o];
                if (oe == os || mentions[o].Type == EntityType.Person) continue;
                int k = 0;
                for (int t = os; t <= oe && k < initials.Length; t++)
                {
                    var tw = tokens[t].Span(text);
                    if (tw.Length == 0 || !char.IsLetter(tw[0])) continue;
                    if (InitialStopWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(tw) && !char.IsUpper(tw[0])) continue;
                    if (!char.IsUpper(tw[0])) continue;
                    initials[k++] = tw[0];
                }
                if (initials[..k].SequenceEqual(acronym)) return mentions[o].Canonical;
            }
        }
        return null;
    }

    private static string? MixedCaseSpelling(List<EntityMention> mentions, int m)
    {
        var c = mentions[m].Canonical;
        bool hasLower = false;
        foreach (char ch in c) if (char.IsLower(ch)) { hasLower = true; break; }
        if (hasLower) return null;
        for (int o = Math.Max(0, m - Window); o < Math.Min(mentions.Count, m + Window + 1); o++)
        {
            var other = mentions[o];
            if (o == m || other.Type != mentions[m].Type) continue;
            if (other.Canonical.Equals(c, StringComparison.OrdinalIgnoreCase) && !other.Canonical.Equals(c, StringComparison.Ordinal)
                && other.Canonical.Any(char.IsLower))
                return other.Canonical;
        }
        return null;
    }
}
