namespace Aggregator.Nlp.Tokenization;

/// <summary>
/// Rule-based tokenizer and sentence splitter for English news text. Every token keeps its offsets into the
/// original string; nothing is normalised or copied. Single pass over the characters, no allocation beyond the
/// (reusable) token buffer.
/// </summary>
/// <remarks>
/// Rules, in order of precedence at a token start: URLs (http://, https://, www.), e-mail addresses, words
/// (letters/digits with internal decimal points, thousands separators, times, apostrophes and some hyphens),
/// dotted abbreviations (U.S., a.m., e.g.), known abbreviations taking their period (Mr., Gen., Feb., Inc.),
/// single capital initials (J.), the possessive clitic 's / ’s, "..." and "--" runs, and single punctuation
/// characters. Hyphens stay inside a word between digits (6-4), between lower-case parts (well-known), after an
/// Arabic-style particle (al-Assad, Al-Qaeda) and after a short capitalised particle; otherwise a hyphen next to
/// a capitalised part is split off (Moscow-based, Russia-Ukraine, anti-Taliban) so that entity boundaries fall on
/// token boundaries.
/// </remarks>
public static class Tokenizer
{
    // Abbreviations that take their trailing period (compared case-insensitively).
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "gens", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "pvt",
        "adm", "cmdr", "cdr", "brig", "gov", "govs", "sen", "sens", "rep", "reps", "rev", "pres", "supt", "insp", "det",
        "fr", "hon", "st", "ste", "mt", "ft", "jr", "sr", "inc", "corp", "ltd", "co", "cos", "bros", "dept", "univ",
        "assn", "ave", "blvd", "rd", "hwy", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "vs", "etc", "approx", "est", "no", "nos", "vol", "fig", "op", "ed", "mme", "mlle", "sgt-maj", "gov-gen",
    };

    /// <summary>Abbreviations that are titles: they never end a sentence.</summary>
    private static readonly HashSet<string> TitleAbbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr.", "mrs.", "ms.", "messrs.", "dr.", "prof.", "gen.", "gens.", "lt.", "col.", "maj.", "capt.", "cpt.", "sgt.",
        "cpl.", "pvt.", "adm.", "cmdr.", "cdr.", "brig.", "gov.", "govs.", "sen.", "sens.", "rep.", "reps.", "rev.",
        "pres.", "supt.", "insp.", "det.", "fr.", "hon.", "st.", "mt.", "ft.", "no.", "nos.", "mme.", "mlle.",
    };

    private static readonly HashSet<string> HyphenParticles = new(StringComparer.OrdinalIgnoreCase)
    {
        "al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ath", "adh", "bin", "ibn", "abd", "abdel", "abdul",
    };

    /// <summary>Tokenizes and splits sentences; returns a new array of exactly the tokens.</summary>
    public static Token[] Tokenize(string text)
    {
        var buffer = new Token[Math.Max(16, text.Length / 4)];
        int n = Tokenize(text, ref buffer);
        Array.Resize(ref buffer, n);
        return buffer;
    }

    /// <summary>Tokenizes <paramref name="text"/> into <paramref name="buffer"/> (grown as needed) and marks sentence
    /// starts. Returns the token count.</summary>
    public static int Tokenize(ReadOnlySpan<char> text, ref Token[] buffer)
    {
        int n = text.Length, count = 0, i = 0, newlines = 0;
        bool space = false;
        while (i < n)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) || c == '\u200B' || c == '\uFEFF')
            {
                if (c == '\n' || c == '\u2029' || c == '\u2028' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) newlines++;
                space = true;
                i++;
                continue;
            }
            int end = ScanToken(text, i);
            if (end <= i) end = i + 1;
            if (char.IsHighSurrogate(text[end - 1]) && end < n && char.IsLowSurrogate(text[end])) end++;
            var flags = TokenFlags.None;
            if (space) flags |= TokenFlags.SpaceBefore;
            if (newlines > 0) flags |= TokenFlags.NewlineBefore;
            if (count == 0 || newlines >= 2) flags |= TokenFlags.ParagraphStart | TokenFlags.SentenceStart;
            else if (newlines == 1) flags |= TokenFlags.SentenceStart;
            if (count == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            buffer[count++] = new Token(i, end, flags);
            i = end;
            newlines = 0;
            space = false;
        }
        MarkSentences(text, buffer.AsSpan(0, count));
        return count;
    }

    /// <summary>Marks sentence starts after terminal punctuation (optionally followed by closing quotes or brackets)
    /// when the next token does not start with a lower-case letter. Titles like "Mr." and initials never end a sentence.</summary>
    private static void MarkSentences(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (int k = 1; k < tokens.Length; k++)
        {
            if (tokens[k].IsSentenceStart) continue;
            char first = text[tokens[k].Start];
            if (char.IsLower(first)) continue;
            if (first is ',' or ';' or ':' or '.' or '!' or '?' or ')' or ']' or '\u201D' or '\u2019' or '\u00BB') continue;
            if (first is '"' or '\'' && !IsOpeningStraightQuote(tokens, k)) continue;
            int p = k - 1;
            while (p > 0 && tokens[p].Length == 1 && IsClosing(text[tokens[p].Start]) && (tokens[p].Flags & TokenFlags.SpaceBefore) == 0) p--;
            var prev = text.Slice(tokens[p].Start, tokens[p].Length);
            bool terminal = prev.Length > 0 && (prev[0] is '.' or '!' or '?' or '\u2026') && IsAll(prev, prev[0]);
            if (terminal) tokens[k].Flags |= TokenFlags.SentenceStart;
        }
    }

    private static bool IsOpeningStraightQuote(Span<Token> tokens, int k) =>
        (tokens[k].Flags & TokenFlags.SpaceBefore) != 0 && k + 1 < tokens.Length && (tokens[k + 1].Flags & TokenFlags.SpaceBefore) == 0;

    private static bool IsAll(ReadOnlySpan<char> s, char c)
    {
        foreach (char x in s) if (x != c) return false;
        return true;
    }

    private static bool IsClosing(char c) => c is '"' or '\'' or '\u2019' or '\u201D' or ')' or ']' or '\u00BB';

    /// <summary>True for an abbreviation like "Mr." or "Gen." after which a sentence does not end.</summary>
    public static bool IsTitleAbbreviation(ReadOnlySpan<char> token)
    {
        var lookup = TitleAbbreviations.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.Contains(token);
    }

    internal static bool IsApostrophe(char c) => c == '\'' || c == '\u2019';
    internal static bool IsHyphen(char c) => c == '-' || c == '\u2010' || c == '\u2011';
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark;

    private static int ScanToken(ReadOnlySpan<char> s, int i)
    {
        int n = s.Length;
        char c = s[i];
        if (c is 'h' or 'H' or 'w' or 'W')
        {
            int u = ScanUrl(s, i);
            if (u > i) return u;
        }
        if (IsWordChar(c))
        {
            int e = ScanEmail(s, i);
            if (e > i) return e;
            return ScanWord(s, i);
        }
        if (c == '.' && i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.')
        {
            int j = i;
            while (j < n && s[j] == '.') j++;
            return j;
        }
        if (c == '-' && i + 1 < n && s[i + 1] == '-')
        {
            int j = i;
            while (j < n && s[j] == '-') j++;
            return j;
        }
        if (IsApostrophe(c) && i + 1 < n && (s[i + 1] == 's' || s[i + 1] == 'S') && (i + 2 >= n || !IsWordChar(s[i + 2])) && i > 0 && !char.IsWhiteSpace(s[i - 1]))
            return i + 2;
        if ((c == '@' || c == '#') && i + 1 < n && char.IsLetterOrDigit(s[i + 1]) && (i == 0 || char.IsWhiteSpace(s[i - 1])))
        {
            int j = i + 1;
            while (j < n && (char.IsLetterOrDigit(s[j]) || s[j] == '_')) j++;
            return j;
        }
        return i + 1;
    }

    private static int ScanUrl(ReadOnlySpan<char> s, int i)
    {
        var rest = s[i..];
        bool isUrl = rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                     || rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                     || (rest.StartsWith("www.", StringComparison.OrdinalIgnoreCase) && rest.Length > 4 && char.IsLetterOrDigit(rest[4]));
        if (!isUrl) return i;
        int j = i;
        while (j < s.Length && !char.IsWhiteSpace(s[j]) && s[j] is not ('"' or '<' or '>' or '\u201C' or '\u201D')) j++;
        // Trailing punctuation belongs to the sentence, not the URL.
        while (j > i && s[j - 1] is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '\u2019' or ')' or ']')
        {
            if (s[j - 1] == ')' && s[i..j].Contains('(')) break;
            j--;
        }
        return j;
    }

    private static bool IsEmailLocal(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static int ScanEmail(ReadOnlySpan<char> s, int i)
    {
        int j = i;
        while (j < s.Length && IsEmailLocal(s[j])) j++;
        if (j >= s.Length || s[j] != '@' || j + 1 >= s.Length || !char.IsLetterOrDigit(s[j + 1])) return i;
        int k = j + 1, dots = 0;
        while (k < s.Length && (char.IsLetterOrDigit(s[k]) || s[k] == '-' || (s[k] == '.' && k + 1 < s.Length && char.IsLetterOrDigit(s[k + 1]))))
        {
            if (s[k] == '.') dots++;
            k++;
        }
        return dots > 0 ? k : i;
    }

    private static int ScanWord(ReadOnlySpan<char> s, int i)
    {
        int n = s.Length;
        // Dotted abbreviation: U.S., U.N., a.m., e.g., U.S.A.
        if (i + 3 < n && char.IsLetter(s[i]) && s[i + 1] == '.' && char.IsLetter(s[i + 2]) && s[i + 3] == '.')
        {
            int k = i;
            while (k + 1 < n && char.IsLetter(s[k]) && s[k + 1] == '.')
            {
                k += 2;
                if (!(k + 1 < n && char.IsLetter(s[k]) && s[k + 1] == '.')) break;
            }
            return k;
        }

        int j = i, segStart = i;
        while (j < n)
        {
            char c = s[j];
            if (IsWordChar(c)) { j++; continue; }
            if ((c == '.' || c == ',' || c == ':') && j > i && char.IsDigit(s[j - 1]) && j + 1 < n && char.IsDigit(s[j + 1]))
            {
                if (c == ',')
                {
                    int d = j + 1;
                    while (d < n && char.IsDigit(s[d])) d++;
                    if (d - (j + 1) != 3) break;
                }
                j++;
                continue;
            }
            if (IsHyphen(c) && j > i && j + 1 < n && IsWordChar(s[j + 1]))
            {
                if (KeepHyphen(s[segStart..j], s[j + 1])) { j++; segStart = j; continue; }
                break;
            }
            if (IsApostrophe(c) && j > i && j + 1 < n && char.IsLetter(s[j + 1]))
            {
                if ((s[j + 1] == 's' || s[j + 1] == 'S') && (j + 2 >= n || !IsWordChar(s[j + 2]))) break; // possessive 's
                j++;
                continue;
            }
            if (c == '&' && j > i && char.IsUpper(s[j - 1]) && j + 1 < n && char.IsUpper(s[j + 1]) && j - i <= 3)
            {
                j++;
                continue;
            }
            break;
        }

        if (j < n && s[j] == '.')
        {
            int len = j - i;
            if (len == 1 && char.IsUpper(s[i]))
            {
                // Initial (J. D. Vance) only when a capitalised word follows on the same line; "AirAsia X." ends a sentence.
                int k = j + 1;
                while (k < s.Length && s[k] == ' ') k++;
                if (k > j + 1 && k < s.Length && char.IsUpper(s[k])) return j + 1;
                return j;
            }
            if (len <= 6 && char.IsLetter(s[i]))
            {
                var lookup = Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>();
                var word = s[i..j];
                if (lookup.Contains(word))
                {
                    // A title takes its period only before a name: "Sen. John Smith", but "... said Hun Sen."
                    if (TitleAbbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(s[i..(j + 1)]) && !NextIsCapitalOrDigit(s, j + 1))
                        return j;
                    // "No." only as a number sign (No. 10), never the word "no." at the end of a sentence.
                    if (word.Equals("no", StringComparison.OrdinalIgnoreCase) || word.Equals("nos", StringComparison.OrdinalIgnoreCase))
                    {
                        if (!char.IsUpper(s[i]) || !NextNonSpaceIsDigit(s, j + 1)) return j;
                    }
                    return j + 1;
                }
            }
        }
        return j;
    }

    private static bool NextIsCapitalOrDigit(ReadOnlySpan<char> s, int k)
    {
        while (k < s.Length && s[k] == ' ') k++;
        return k < s.Length && (char.IsUpper(s[k]) || char.IsDigit(s[k]));
    }

    private static bool NextNonSpaceIsDigit(ReadOnlySpan<char> s, int k)
    {
        while (k < s.Length && s[k] == ' ') k++;
        return k < s.Length && char.IsDigit(s[k]);
    }

    private static bool KeepHyphen(ReadOnlySpan<char> left, char rightFirst)
    {
        if (left.Length == 0) return false;
        char lf = left[0];
        if (char.IsDigit(lf) && char.IsUpper(rightFirst)) return false;          // "1-Asia" (wire codes)
        if (char.IsDigit(lf) || char.IsDigit(rightFirst)) return true;           // 6-4, F-16, 18-year-old
        if (HyphenParticles.GetAlternateLookup<ReadOnlySpan<char>>().Contains(left)) return true; // al-Assad, Al-Qaeda
        if (char.IsLower(lf) && char.IsLower(rightFirst)) return true;           // well-known
        if (!char.IsLetter(lf) || !char.IsLetter(rightFirst)) return true;
        return false;                                                           // Moscow-based, Russia-Ukraine, anti-Taliban
    }
}
