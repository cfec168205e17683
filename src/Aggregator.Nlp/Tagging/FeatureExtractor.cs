using System.Runtime.CompilerServices;
using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Tagging;

/// <summary>
/// Turns a document into hashed feature keys. Every feature is a template id combined with one or more 64-bit
/// value hashes (word hashes are computed over the text span, shapes and affixes over characters): no strings are
/// built. The same code serves training and tagging, so the two can never drift apart.
/// </summary>
internal sealed class FeatureExtractor
{
    /// <summary>Bumped whenever templates change; stored in the model so stale models are rejected.</summary>
    public const int Version = 15;

    private enum T : ulong
    {
        Bias = 1, W0, W0Exact, Wm1, Wp1, Wm2, Wp2, S0, Sm1, Sp1, Sm2, Sp2, Prefix, Suffix,
        Wm1W0, W0Wp1, Sm1S0, S0Sp1, Sm1S0Sp1, Wm1S0, S0Wp1, PosShape, LenCap,
        Gaz, GazMask, GazUni, GazN, GazUniN, TitleBefore, OrgCueAfter, LocCueAfter, OrgCueBefore, LocCueBefore,
        DemonymBefore, NameParticleN, W0Sent, SentCaseGaz, RunShape, RunFirst, RunLast, RunLists, LowerVocab, LowerVocabN, WordList, WordListN,
        SportList, SportShape, TableList, TableShape, TableFirst, Wp1Start,
        // transitions (previous tag x token class)
        Trans, Trans2,
        // document (second pass)
        P0, Pm1, Pp1, P0Pp1, Pm1P0, DocTag, DocMaj, DocO, DocLower, DocCapMid, DocAcronym, DocMajN, DocNone,
    }

    private static readonly ulong BosHash = TokenHash.Lower("<S>") ^ 0x5555;
    private static readonly ulong EosHash = TokenHash.Lower("</S>") ^ 0xAAAA;
    private static readonly ulong ShapeBos = 0x1234_5678_9ABC_DEF1UL;
    private static readonly ulong ShapeEos = 0x0FED_CBA9_8765_4321UL;
    private static readonly ulong TheHash = TokenHash.Lower("the");

    private readonly Gazetteer _gazetteer;
    private readonly HashSet<ulong> _lowerVocabulary;

    /// <param name="gazetteer">Gazetteer for list features.</param>
    /// <param name="lowerVocabulary">Hashes of words seen in lower case in the training text (stored in the model):
    /// a capitalised token that is an ordinary word elsewhere is probably capitalised for its position only.</param>
    public FeatureExtractor(Gazetteer gazetteer, HashSet<ulong> lowerVocabulary)
    {
        _gazetteer = gazetteer;
        _lowerVocabulary = lowerVocabulary;
    }

    public Gazetteer Gazetteer => _gazetteer;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F(T t, ulong v) => TokenHash.Combine((ulong)t * 0x9E3779B97F4A7C15UL, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F(T t, ulong a, ulong b) => TokenHash.Combine(TokenHash.Combine((ulong)t * 0x9E3779B97F4A7C15UL, a), b);

    /// <summary>Tokenizes and computes token info, gazetteer matches and static features.</summary>
    public void Analyze(Workspace ws, string text)
    {
        ws.Text = text;
        ws.Count = Tokenizer.Tokenize(text, ref ws.Tokens);
        int n = ws.Count;
        ws.EnsureTokens(n);
        ComputeTokenInfo(ws);
        _gazetteer.Match(ws.Lower.AsSpan(0, n), ws.Exact.AsSpan(0, n), ws.Gaz.AsSpan(0, n));
        for (int k = 0; k < n; k++) ws.Classes[k] = TransitionClass(ws.Info[k]);
        ws.SportLevel = SportLevel(ws);
        ComputeRuns(ws);
        ComputeStaticFeatures(ws);
    }

    /// <summary>
    /// Share of the document's words that are sport words (sport_cue list): in a sports story a city is often a club
    /// (ORG) and a country a national team (LOC), which the tagger can only learn if it knows the story is about sport.
    /// </summary>
    private static int SportLevel(Workspace ws)
    {
        int words = 0, sport = 0;
        for (int k = 0; k < ws.Count; k++)
        {
            if ((ws.Info[k] & TokenInfo.HasLetter) == 0) continue;
            words++;
            if ((ws.Gaz[k].UnigramLists & SportCueBit) != 0) sport++;
        }
        return sport * 100 >= words * 4 ? 2 : sport * 100 >= words ? 1 : 0;
    }

    /// <summary>Title abbreviations (Mr., Gen., ...) are never part of an entity (guidelines): the decoder forbids it.</summary>
    public static bool ForcedOutside(Workspace ws, int k) => (ws.Info[k] & TokenInfo.TitleAbbreviation) != 0;

    private static readonly HashSet<ulong> RunConnectors = new[]
    {
        "of", "for", "de", "del", "della", "di", "da", "do", "dos", "das", "van", "von", "der", "den", "du", "des", "la", "le",
        "al", "el", "bin", "ibn", "on", "y", "e",
    }.Select(w => TokenHash.Lower(w)).ToHashSet();

    /// <summary>
    /// Capitalised runs: maximal sequences of capitalised tokens within a sentence, allowing lower-case connectors
    /// ("of", "de", "von", "al", ...) and "the" after "of"/"for" inside ("Bank of the Republic"). Not computed in
    /// all-capitals or title-case sentences, where capitalisation says nothing.
    /// </summary>
    /// <summary>Longest capitalised run treated as name-like; the longest names ("Ministry of Foreign Affairs of the
    /// Republic of Korea") have about ten tokens.</summary>
    private const int MaxRunTokens = 16;

    private static void ComputeRuns(Workspace ws)
    {
        int n = ws.Count;
        for (int k = 0; k < n; k++) { ws.RunStart[k] = -1; ws.RunEnd[k] = -1; }
        int i = 0;
        while (i < n)
        {
            var info = ws.Info[i];
            if ((info & (TokenInfo.InitCap | TokenInfo.AllCaps)) == 0 || (info & (TokenInfo.CapsSentence | TokenInfo.TitleSentence)) != 0)
            {
                i++;
                continue;
            }
            int end = i, j = i + 1;
            while (j < n && ws.Sentence[j] == ws.Sentence[i])
            {
                var ij = ws.Info[j];
                if ((ij & (TokenInfo.InitCap | TokenInfo.AllCaps)) != 0) { end = j; j++; continue; }
                if (RunConnectors.Contains(ws.Lower[j]) || (ws.Lower[j] == TheHash && j > i && RunConnectors.Contains(ws.Lower[j - 1])))
                {
                    j++;
                    continue;
                }
                break;
            }
            // A run longer than any name is not a name-like span (and would make the per-run work quadratic).
            if (end - i < MaxRunTokens)
            {
                uint lists = 0;
                for (int k = i; k <= end; k++) lists |= AnyLists(ws.Gaz[k]);
                for (int k = i; k <= end; k++) { ws.RunStart[k] = i; ws.RunEnd[k] = end; ws.RunLists[k] = lists; }
            }
            i = end + 1;
        }
    }

    private static void ComputeTokenInfo(Workspace ws)
    {
        string text = ws.Text;
        int n = ws.Count, sentence = -1;
        for (int k = 0; k < n; k++)
        {
            ref var tok = ref ws.Tokens[k];
            var span = text.AsSpan(tok.Start, tok.Length);
            ulong lower = TokenHash.Offset, exact = TokenHash.Offset, shape = TokenHash.Offset;
            int upper = 0, lowerCount = 0, digits = 0, letters = 0;
            char prevClass = '\0';
            int run = 0;
            foreach (char raw in span)
            {
                char c = TokenHash.Fold(raw);
                char cls;
                if (char.IsLetter(c))
                {
                    letters++;
                    if (char.IsUpper(c)) { upper++; cls = 'X'; }
                    else { lowerCount++; cls = 'x'; }
                }
                else if (char.IsDigit(c)) { digits++; cls = 'd'; }
                else cls = c;
                lower ^= TokenHash.Lower(c); lower *= TokenHash.Prime;
                exact ^= c; exact *= TokenHash.Prime;
                if (cls == prevClass) run++; else { run = 1; prevClass = cls; }
                if (run <= 2) { shape ^= cls; shape *= TokenHash.Prime; }
            }
            ws.Lower[k] = TokenHash.Finish(lower);
            ws.Exact[k] = TokenHash.Finish(exact);
            ws.Shape[k] = TokenHash.Finish(shape);
            var info = TokenInfo.None;
            if (letters > 0) info |= TokenInfo.HasLetter;
            if (letters > 0 && char.IsUpper(span[0])) info |= TokenInfo.InitCap;
            if (upper > 0 && lowerCount == 0) info |= TokenInfo.AllCaps;
            if (lowerCount > 0) info |= TokenInfo.HasLower;
            if (digits > 0) info |= TokenInfo.HasDigit;
            if (digits > 0 && digits == span.Length) info |= TokenInfo.AllDigit;
            if (letters == 0 && digits == 0) info |= TokenInfo.Punct;
            if (tok.IsSentenceStart || k == 0) { info |= TokenInfo.SentenceStart; sentence++; }
            if ((tok.Flags & TokenFlags.ParagraphStart) != 0) info |= TokenInfo.ParagraphStart;
            if ((tok.Flags & TokenFlags.NewlineBefore) != 0) info |= TokenInfo.NewlineBefore;
            if (span.Length >= 3 && span[^1] == '.' && Tokenizer.IsTitleAbbreviation(span) && !IsPlaceAbbreviation(span)) info |= TokenInfo.TitleAbbreviation;
            ws.Info[k] = info;
            ws.Sentence[k] = sentence;
        }
        // Sentence ends and all-caps sentences (headlines).
        int s0 = 0;
        for (int k = 0; k <= n; k++)
        {
            if (k < n && (k == 0 || ws.Sentence[k] == ws.Sentence[k - 1])) continue;
            if (k > 0)
            {
                ws.Info[k - 1] |= TokenInfo.SentenceEnd;
                int words = 0, caps = 0, longWords = 0, titled = 0, numbers = 0, lowerWords = 0;
                for (int j = s0; j < k; j++)
                {
                    if ((ws.Info[j] & TokenInfo.HasDigit) != 0) numbers++;
                    if ((ws.Info[j] & TokenInfo.HasLetter) == 0) continue;
                    if ((ws.Info[j] & (TokenInfo.InitCap | TokenInfo.AllCaps)) == 0) lowerWords++;
                    words++;
                    if ((ws.Info[j] & TokenInfo.AllCaps) != 0 && ws.Tokens[j].Length > 1) caps++;
                    if (ws.Tokens[j].Length >= 4)
                    {
                        longWords++;
                        if ((ws.Info[j] & TokenInfo.InitCap) != 0) titled++;
                    }
                }
                var flag = words >= 3 && caps * 5 >= words * 4 ? TokenInfo.CapsSentence
                    : longWords >= 3 && titled * 4 >= longWords * 3 ? TokenInfo.TitleSentence : TokenInfo.None;
                if (numbers >= 2 && numbers >= lowerWords) flag |= TokenInfo.TableRow;
                if (flag != TokenInfo.None)
                    for (int j = s0; j < k; j++) ws.Info[j] |= flag;
            }
            s0 = k;
        }
    }

    /// <summary>"St. Louis", "Mt. Everest", "Ft. Worth" are inside place names.</summary>
    private static bool IsPlaceAbbreviation(ReadOnlySpan<char> s) =>
        s.Equals("st.", StringComparison.OrdinalIgnoreCase) || s.Equals("mt.", StringComparison.OrdinalIgnoreCase) || s.Equals("ft.", StringComparison.OrdinalIgnoreCase);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong WordAt(Workspace ws, int i, int k) =>
        k < 0 || k >= ws.Count || ws.Sentence[k] != ws.Sentence[i] ? (k < i ? BosHash : EosHash) : ws.Lower[k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShapeAt(Workspace ws, int i, int k) =>
        k < 0 || k >= ws.Count || ws.Sentence[k] != ws.Sentence[i] ? (k < i ? ShapeBos : ShapeEos) : ws.Shape[k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool InSentence(Workspace ws, int i, int k) => k >= 0 && k < ws.Count && ws.Sentence[k] == ws.Sentence[i];

    private const uint TitleBit = 1u << (int)GazetteerList.Title;
    private const uint OrgCueBit = 1u << (int)GazetteerList.OrgCue;
    private const uint LocCueBit = 1u << (int)GazetteerList.LocCue;
    private const uint DemonymBit = 1u << (int)GazetteerList.Demonym;
    private const uint ParticleBit = 1u << (int)GazetteerList.NameParticle;
    private const uint SportCueBit = 1u << (int)GazetteerList.SportCue;


    private static uint AnyLists(in GazetteerMatch g) => g.Lists | g.UnigramLists;

    /// <summary>Upper bound of static features one token can produce (every list bit set everywhere).</summary>
    private const int MaxStaticPerToken = 640;

    /// <summary>Upper bound of document features one token can produce.</summary>
    private const int MaxDocPerToken = 32;

    private void ComputeStaticFeatures(Workspace ws)
    {
        int n = ws.Count;
        int needed = n * 48 + MaxStaticPerToken;
        if (ws.Feats.Length < needed) ws.Feats = new ulong[Math.Max(needed, ws.Feats.Length * 2)];
        var f = ws.Feats;
        int p = 0;
        string text = ws.Text;
        for (int i = 0; i < n; i++)
        {
            ws.FeatOffsets[i] = p;
            if (p + MaxStaticPerToken > f.Length)
            {
                Array.Resize(ref ws.Feats, Math.Max(f.Length * 2, p + MaxStaticPerToken));
                f = ws.Feats;
            }
            ulong w0 = ws.Lower[i], s0 = ws.Shape[i];
            var info = ws.Info[i];
            ulong wm1 = WordAt(ws, i, i - 1), wp1 = WordAt(ws, i, i + 1);
            ulong sm1 = ShapeAt(ws, i, i - 1), sp1 = ShapeAt(ws, i, i + 1);
            f[p++] = F(T.Bias, 0);
            f[p++] = F(T.W0, w0);
            f[p++] = F(T.W0Exact, ws.Exact[i]);
            f[p++] = F(T.Wm1, wm1);
            f[p++] = F(T.Wp1, wp1);
            // What follows means something else after a line's first word ("SOCCER - ...", "KABUL -") than mid-sentence.
            f[p++] = F(T.Wp1Start, wp1, (info & TokenInfo.SentenceStart) != 0 ? 1UL : 0UL);
            f[p++] = F(T.Wm2, WordAt(ws, i, i - 2));
            f[p++] = F(T.Wp2, WordAt(ws, i, i + 2));
            f[p++] = F(T.S0, s0);
            f[p++] = F(T.Sm1, sm1);
            f[p++] = F(T.Sp1, sp1);
            f[p++] = F(T.Sm2, ShapeAt(ws, i, i - 2));
            f[p++] = F(T.Sp2, ShapeAt(ws, i, i + 2));
            f[p++] = F(T.Wm1W0, wm1, w0);
            f[p++] = F(T.W0Wp1, w0, wp1);
            f[p++] = F(T.Sm1S0, sm1, s0);
            f[p++] = F(T.S0Sp1, s0, sp1);
            f[p++] = F(T.Sm1S0Sp1, TokenHash.Combine(sm1, s0), sp1);
            f[p++] = F(T.Wm1S0, wm1, s0);
            f[p++] = F(T.S0Wp1, s0, wp1);
            ulong pos = (ulong)(info & (TokenInfo.SentenceStart | TokenInfo.CapsSentence | TokenInfo.TitleSentence | TokenInfo.ParagraphStart | TokenInfo.SentenceEnd));
            f[p++] = F(T.PosShape, pos, s0);
            if ((info & TokenInfo.SentenceStart) != 0) f[p++] = F(T.W0Sent, w0);
            var span = text.AsSpan(ws.Tokens[i].Start, ws.Tokens[i].Length);
            f[p++] = F(T.LenCap, (ulong)Math.Min(span.Length, 10), (ulong)(info & (TokenInfo.InitCap | TokenInfo.AllCaps | TokenInfo.CapsSentence | TokenInfo.TitleSentence)));

            // Prefixes and suffixes 1..4 of the lower-cased word.
            if ((info & TokenInfo.HasLetter) != 0)
            {
                ulong h = TokenHash.Offset;
                int m = Math.Min(4, span.Length);
                for (int k = 0; k < m; k++)
                {
                    h ^= TokenHash.Lower(span[k]); h *= TokenHash.Prime;
                    if (k + 1 < span.Length) f[p++] = F(T.Prefix, (ulong)k, h);
                }
                h = TokenHash.Offset;
                for (int k = 0; k < m; k++)
                {
                    h ^= TokenHash.Lower(span[span.Length - 1 - k]); h *= TokenHash.Prime;
                    if (k + 1 < span.Length) f[p++] = F(T.Suffix, (ulong)k, h);
                }
            }

            // Gazetteer: the token's own longest match, its single-token lists, and the neighbours'.
            ref var g = ref ws.Gaz[i];
            if (g.Lists != 0)
            {
                for (int b = 0; b < Gazetteer.ListCount; b++)
                {
                    if ((g.Lists & (1u << b)) == 0) continue;
                    ulong exact = (g.ExactLists & (1u << b)) != 0 ? 1UL : 0UL;
                    f[p++] = F(T.Gaz, (ulong)(b << 8 | (int)g.Position << 4), exact);
                }
                f[p++] = F(T.GazMask, g.Lists, (ulong)g.Position);
                ulong sentCase = (ulong)(info & (TokenInfo.CapsSentence | TokenInfo.TitleSentence));
                if (sentCase != 0) f[p++] = F(T.SentCaseGaz, sentCase, g.Lists);
            }
            if (g.UnigramLists != 0 && g.UnigramLists != g.Lists)
                for (int b = 0; b < Gazetteer.ListCount; b++)
                    if ((g.UnigramLists & (1u << b)) != 0) f[p++] = F(T.GazUni, (ulong)b, (ulong)(info & (TokenInfo.InitCap | TokenInfo.AllCaps)));
            if (g.WordLists != 0 && g.Lists == 0)
                for (int b = 0; b < Gazetteer.ListCount; b++)
                    if ((g.WordLists & (1u << b)) != 0) f[p++] = F(T.WordList, (ulong)b, (ulong)(info & (TokenInfo.InitCap | TokenInfo.AllCaps)));
            for (int d = -2; d <= 2; d++)
            {
                if (d == 0 || !InSentence(ws, i, i + d)) continue;
                ref var gn = ref ws.Gaz[i + d];
                if (d is -1 or 1 && gn.WordLists != 0 && gn.Lists == 0 && (ws.Info[i + d] & (TokenInfo.InitCap | TokenInfo.AllCaps)) != 0)
                    for (int b = 0; b < Gazetteer.ListCount; b++)
                        if ((gn.WordLists & (1u << b)) != 0) f[p++] = F(T.WordListN, (ulong)(d + 2), (ulong)b);
                if (gn.Lists != 0)
                    for (int b = 0; b < Gazetteer.ListCount; b++)
                        if ((gn.Lists & (1u << b)) != 0) f[p++] = F(T.GazN, (ulong)(d + 2), (ulong)(b << 4 | (int)gn.Position));
                if (d is -1 or 1 && gn.UnigramLists != 0 && gn.UnigramLists != gn.Lists)
                    for (int b = 0; b < Gazetteer.ListCount; b++)
                        if ((gn.UnigramLists & (1u << b)) != 0) f[p++] = F(T.GazUniN, (ulong)(d + 2), (ulong)b);
            }

            // Sports stories and table rows: what the token's lists mean there (a city is a club, a country a team).
            bool capitalised = (info & (TokenInfo.InitCap | TokenInfo.AllCaps)) != 0;
            if (capitalised && (ws.SportLevel > 0 || (info & TokenInfo.TableRow) != 0))
            {
                ulong context = (ulong)ws.SportLevel << 1 | ((info & TokenInfo.TableRow) != 0 ? 1UL : 0UL);
                uint lists = AnyLists(g);
                for (int b = 0; b < Gazetteer.ListCount; b++)
                    if ((lists & (1u << b)) != 0) f[p++] = F(T.SportList, context, (ulong)b);
                f[p++] = F(T.SportShape, context, s0);
                if ((info & TokenInfo.TableRow) != 0)
                {
                    f[p++] = F(T.TableShape, s0, sp1);
                    f[p++] = F(T.TableFirst, (info & TokenInfo.SentenceStart) != 0 ? 1UL : 0UL, (ulong)ws.SportLevel);
                    if (lists != 0) f[p++] = F(T.TableList, lists, (ulong)ws.SportLevel);
                }
            }

            // Capitalised word that is an ordinary lower-case word in the training text (and its neighbours').
            const TokenInfo caseBits = TokenInfo.InitCap | TokenInfo.AllCaps | TokenInfo.SentenceStart | TokenInfo.CapsSentence | TokenInfo.TitleSentence;
            if ((info & (TokenInfo.InitCap | TokenInfo.AllCaps)) != 0 && _lowerVocabulary.Contains(w0))
                f[p++] = F(T.LowerVocab, (ulong)(info & caseBits));
            for (int d = -1; d <= 1; d += 2)
                if (InSentence(ws, i, i + d) && (ws.Info[i + d] & (TokenInfo.InitCap | TokenInfo.AllCaps)) != 0 && _lowerVocabulary.Contains(ws.Lower[i + d]))
                    f[p++] = F(T.LowerVocabN, (ulong)(d + 1));

            // The capitalised run the token belongs to: its position and length, first and last (head) words, lists.
            if (ws.RunStart[i] >= 0)
            {
                int rs = ws.RunStart[i], re = ws.RunEnd[i], len = re - rs + 1;
                ulong runPos = rs == re ? 3UL : i == rs ? 0UL : i == re ? 2UL : 1UL;
                f[p++] = F(T.RunShape, runPos, (ulong)Math.Min(len, 5));
                if (len > 1)
                {
                    f[p++] = F(T.RunFirst, ws.Lower[rs], runPos);
                    f[p++] = F(T.RunLast, ws.Lower[re], runPos);
                    uint lists = ws.RunLists[i];
                    for (int b = 0; b < Gazetteer.ListCount; b++)
                        if ((lists & (1u << b)) != 0) f[p++] = F(T.RunLists, (ulong)b, runPos);
                }
            }

            // Titles and cue words around the token.
            for (int k = i - 1; k >= i - 3 && InSentence(ws, i, k); k--)
                if ((AnyLists(ws.Gaz[k]) & TitleBit) != 0) { f[p++] = F(T.TitleBefore, (ulong)(i - k)); break; }
            for (int k = i + 1; k <= i + 3 && InSentence(ws, i, k); k++)
                if ((AnyLists(ws.Gaz[k]) & OrgCueBit) != 0) { f[p++] = F(T.OrgCueAfter, (ulong)(k - i)); break; }
            for (int k = i + 1; k <= i + 3 && InSentence(ws, i, k); k++)
                if ((AnyLists(ws.Gaz[k]) & LocCueBit) != 0) { f[p++] = F(T.LocCueAfter, (ulong)(k - i)); break; }
            for (int k = i - 1; k >= i - 2 && InSentence(ws, i, k); k--)
                if ((AnyLists(ws.Gaz[k]) & OrgCueBit) != 0) { f[p++] = F(T.OrgCueBefore, (ulong)(i - k)); break; }
            for (int k = i - 1; k >= i - 2 && InSentence(ws, i, k); k--)
                if ((AnyLists(ws.Gaz[k]) & LocCueBit) != 0) { f[p++] = F(T.LocCueBefore, (ulong)(i - k)); break; }
            if (InSentence(ws, i, i - 1) && (AnyLists(ws.Gaz[i - 1]) & DemonymBit) != 0)
                f[p++] = F(T.DemonymBefore, (ulong)(info & (TokenInfo.InitCap | TokenInfo.AllCaps)));
            if (InSentence(ws, i, i - 1) && (AnyLists(ws.Gaz[i - 1]) & ParticleBit) != 0 && ws.Lower[i - 1] != TheHash)
                f[p++] = F(T.NameParticleN, 0);
        }
        ws.FeatOffsets[n] = p;
    }

    /// <summary>Number of token classes transitions are conditioned on (see <see cref="TransitionClass"/>).</summary>
    public const int TransitionClasses = 4;

    /// <summary>Key of the transition weights from <paramref name="prev"/> into a token of class <paramref name="cls"/>.</summary>
    public static ulong TransitionKey(int cls, byte prev) => F(T.Trans, (ulong)cls, prev);

    /// <summary>Key of the second-order transition weights: the two previous tags (either may be the sentence start).</summary>
    public static ulong TransitionKey2(byte prev2, byte prev) => F(T.Trans2, prev2, prev);

    /// <summary>0 capitalised, 1 all capitals, 2 lower case, 3 no letters.</summary>
    private static byte TransitionClass(TokenInfo info) =>
        (info & TokenInfo.HasLetter) == 0 ? (byte)3
        : (info & TokenInfo.AllCaps) != 0 && (info & TokenInfo.CapsSentence) == 0 ? (byte)1
        : (info & TokenInfo.InitCap) != 0 ? (byte)0 : (byte)2;

    /// <summary>
    /// Second-pass features from the first-pass tags of the whole document: the token's own and neighbours' first-pass
    /// tags, how the same word (case-insensitive) was tagged elsewhere in the document, whether it also occurs
    /// lower-case or capitalised mid-sentence elsewhere, and whether it is the acronym of a multi-word entity.
    /// </summary>
    public static void ComputeDocFeatures(Workspace ws, ReadOnlySpan<byte> pass1)
    {
        int n = ws.Count;
        int needed = n * 12 + MaxDocPerToken;
        if (ws.DocFeats.Length < needed) ws.DocFeats = new ulong[Math.Max(needed, ws.DocFeats.Length * 2)];
        const int S = Workspace.DocStatStride;
        const int LowerSlot = 13, CapMidSlot = 14;

        // Word statistics over the document.
        var index = ws.DocIndex;
        index.Clear();
        for (int k = 0; k < n; k++)
        {
            var info = ws.Info[k];
            if ((info & TokenInfo.HasLetter) == 0) continue;
            if (!index.TryGetValue(ws.Lower[k], out int slot))
            {
                slot = index.Count;
                index[ws.Lower[k]] = slot;
                if (ws.DocStats.Length < (slot + 1) * S) Array.Resize(ref ws.DocStats, ws.DocStats.Length * 2);
                Array.Clear(ws.DocStats, slot * S, S);
            }
            AddStats(ws.DocStats.AsSpan(slot * S, S), info, pass1[k], +1);
        }

        // Acronym candidates: initials of multi-token first-pass entities.
        ws.Acronyms.Clear();
        for (int k = 0; k < n; k++)
        {
            if (!Bilou.IsEntity(pass1[k]) || Bilou.PositionOf(pass1[k]) != Bilou.B) continue;
            ulong h = TokenHash.Offset;
            int letters = 0, e = k;
            for (; e < n && Bilou.IsEntity(pass1[e]); e++)
            {
                char c = ws.Text[ws.Tokens[e].Start];
                if (char.IsUpper(c)) { h ^= c; h *= TokenHash.Prime; letters++; }
                if (Bilou.PositionOf(pass1[e]) == Bilou.L) break;
            }
            if (letters >= 2) ws.Acronyms.Add((TokenHash.Finish(h), Bilou.TypeOf(pass1[k])));
        }

        var f = ws.DocFeats;
        int p = 0;
        Span<int> own = stackalloc int[S];
        Span<int> byType = stackalloc int[3];
        Span<int> nt = stackalloc int[3];
        for (int i = 0; i < n; i++)
        {
            ws.DocOffsets[i] = p;
            if (p + MaxDocPerToken > f.Length)
            {
                Array.Resize(ref ws.DocFeats, Math.Max(f.Length * 2, p + MaxDocPerToken));
                f = ws.DocFeats;
            }
            byte p0 = pass1[i];
            byte pm1 = InSentence(ws, i, i - 1) ? pass1[i - 1] : Bilou.Start;
            byte pp1 = InSentence(ws, i, i + 1) ? pass1[i + 1] : (byte)14;
            f[p++] = F(T.P0, p0);
            f[p++] = F(T.Pm1, pm1);
            f[p++] = F(T.Pp1, pp1);
            f[p++] = F(T.P0Pp1, p0, pp1);
            f[p++] = F(T.Pm1P0, pm1, p0);
            var info = ws.Info[i];
            if ((info & TokenInfo.HasLetter) == 0) continue;

            // Statistics of the other occurrences of this word.
            var stats = ws.DocStats.AsSpan(index[ws.Lower[i]] * S, S);
            stats.CopyTo(own);
            AddStats(own, info, p0, -1);
            bool capital = (info & (TokenInfo.InitCap | TokenInfo.AllCaps)) != 0;
            int best = -1, bestCount = 0, entityTotal = 0;
            byType.Clear();
            for (int t = 1; t < Bilou.NumTags; t++)
            {
                if (own[t] == 0) continue;
                f[p++] = F(T.DocTag, (ulong)t);
                byType[(int)Bilou.TypeOf((byte)t)] += own[t];
                entityTotal += own[t];
            }
            for (int t = 0; t < 3; t++) if (byType[t] > bestCount) { bestCount = byType[t]; best = t; }
            if (best >= 0) f[p++] = F(T.DocMaj, (ulong)best, own[0] > 0 ? 1UL : 0UL);
            if (own[0] > 0 && capital) f[p++] = F(T.DocO, (ulong)Math.Min(own[0], 3), entityTotal > 0 ? 1UL : 0UL);
            if (own[LowerSlot] > 0 && capital) f[p++] = F(T.DocLower, (info & TokenInfo.SentenceStart) != 0 ? 1UL : 0UL);
            if (own[CapMidSlot] > 0 && (info & TokenInfo.SentenceStart) != 0) f[p++] = F(T.DocCapMid, 0);
            if (capital && entityTotal == 0 && own[0] == 0 && own[LowerSlot] == 0) f[p++] = F(T.DocNone, 0);

            // Acronym of an expansion elsewhere in the document ("IS" after "Islamic State").
            if ((info & TokenInfo.AllCaps) != 0 && ws.Acronyms.Count > 0)
            {
                var span = ws.Text.AsSpan(ws.Tokens[i].Start, ws.Tokens[i].Length);
                ulong h = TokenHash.Offset;
                int letters = 0;
                foreach (char c in span)
                {
                    if (char.IsUpper(c)) { h ^= c; h *= TokenHash.Prime; letters++; }
                    else if (c != '.') { letters = 0; break; }
                }
                if (letters is >= 2 and <= 6)
                {
                    h = TokenHash.Finish(h);
                    foreach (var (initials, type) in ws.Acronyms)
                        if (initials == h) { f[p++] = F(T.DocAcronym, (ulong)type); break; }
                }
            }

            // Neighbours' document majority type.
            for (int d = -1; d <= 1; d += 2)
            {
                int k = i + d;
                if (!InSentence(ws, i, k) || (ws.Info[k] & TokenInfo.HasLetter) == 0) continue;
                var ns = ws.DocStats.AsSpan(index[ws.Lower[k]] * S, S);
                int nb = -1, nbc = 0;
                nt.Clear();
                for (int t = 1; t < Bilou.NumTags; t++) nt[(int)Bilou.TypeOf((byte)t)] += ns[t];
                if (Bilou.IsEntity(pass1[k])) nt[(int)Bilou.TypeOf(pass1[k])]--;
                for (int t = 0; t < 3; t++) if (nt[t] > nbc) { nbc = nt[t]; nb = t; }
                if (nb >= 0) f[p++] = F(T.DocMajN, (ulong)(d + 1), (ulong)nb);
            }
        }
        ws.DocOffsets[n] = p;
    }

    private static void AddStats(Span<int> stats, TokenInfo info, byte tag, int delta)
    {
        bool capital = (info & (TokenInfo.InitCap | TokenInfo.AllCaps)) != 0 && (info & TokenInfo.CapsSentence) == 0;
        if (Bilou.IsEntity(tag)) stats[tag] += delta;
        else if (capital) stats[0] += delta;
        if ((info & TokenInfo.HasLower) != 0 && (info & TokenInfo.InitCap) == 0) stats[13] += delta;
        if (capital && (info & TokenInfo.SentenceStart) == 0) stats[14] += delta;
        stats[15] += delta;
    }
}
