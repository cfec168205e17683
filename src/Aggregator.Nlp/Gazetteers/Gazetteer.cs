using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Gazetteers;

/// <summary>The gazetteer lists, in the bit order of <see cref="GazetteerMatch.Lists"/>.</summary>
public enum GazetteerList : byte
{
    Country, City, Region, OrgInternational, OrgMilitant, OrgParty, OrgGovernment, OrgCompany, OrgMedia,
    GivenName, Surname, NameParticle, Title, OrgCue, LocCue, Demonym,
    Building, OrgSport, OrgUniversity, Product, NonName, Event, SportCue, FunctionWord,
}

/// <summary>Position of a token inside the longest gazetteer match covering it.</summary>
public enum GazetteerPosition : byte { None = 0, Begin = 1, Inside = 2, Last = 3, Unit = 4 }

/// <summary>Per-token result of the gazetteer lookup.</summary>
public struct GazetteerMatch
{
    /// <summary>Lists having a multi-word entry that contains this word anywhere ("Airlines", "Ministry", "Province").</summary>
    public uint WordLists;
    /// <summary>Bit mask (1 &lt;&lt; list) of the lists of the longest match covering the token.</summary>
    public uint Lists;
    /// <summary>Lists for which the longest match also matched with exact case.</summary>
    public uint ExactLists;
    /// <summary>Lists of the token on its own (single-token entries), regardless of longer matches.</summary>
    public uint UnigramLists;
    public GazetteerPosition Position;
    /// <summary>Trie node of the longest match (for canonical lookup), -1 when none.</summary>
    public int Node;
}

/// <summary>
/// Gazetteer compiled into a token trie. Entries are tokenised with the pipeline tokenizer; edges are keyed by the
/// lower-cased token hash, so matching is case-insensitive, with a separate set recording the exact-case surfaces.
/// </summary>
public sealed class Gazetteer
{
    public static readonly string[] ListNames =
    [
        "country", "city", "region", "org_international", "org_militant", "org_party", "org_government", "org_company",
        "org_media", "given_name", "surname", "name_particle", "title", "org_cue", "loc_cue", "demonym",
        "building", "org_sport", "org_university", "product", "non_name", "event", "sport_cue", "function_word",
    ];

    /// <summary>Number of lists: bits of the <see cref="GazetteerMatch"/> masks in use.</summary>
    public const int ListCount = (int)GazetteerList.FunctionWord + 1;

    private readonly Dictionary<ulong, int> _edges = new();
    private readonly List<uint> _nodeLists = [0];
    private readonly Dictionary<ulong, uint> _exact = new();
    private readonly Dictionary<int, List<(GazetteerList List, string Canonical)>> _canonicals = new();
    private readonly List<string> _warnings = [];
    private readonly Dictionary<ulong, uint> _wordLists = new();

    public int EntryCount { get; private set; }
    public int NodeCount => _nodeLists.Count;
    public IReadOnlyList<string> Warnings => _warnings;
    /// <summary>SHA-256 (hex) of the gazetteer bytes it was loaded from.</summary>
    public string Sha256 { get; private set; } = "";

    public static Gazetteer Empty() => new();

    public static Gazetteer Load(string path)
    {
        using var fs = File.OpenRead(path);
        return Load(fs);
    }

    public static Gazetteer Load(Stream stream)
    {
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var bytes = ms.ToArray();
        var g = new Gazetteer { Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) };
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
        var tokenBuffer = new Token[16];
        string? line;
        int lineNo = 0;
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split('\t');
            if (parts.Length < 3 || parts[2].Trim().Length == 0)
            {
                g.Warn($"gazetteer line {lineNo}: expected list<TAB>canonical<TAB>surface");
                continue;
            }
            int list = Array.IndexOf(ListNames, parts[0].Trim());
            if (list < 0)
            {
                g.Warn($"gazetteer line {lineNo}: unknown list '{parts[0]}'");
                continue;
            }
            string surface = parts[2].Trim();
            // "the" stays outside entities (guidelines): "the Taliban" is matched as "Taliban". "The New York Times" keeps it.
            if (surface.StartsWith("the ", StringComparison.Ordinal) && surface.Length > 4) surface = surface[4..].TrimStart();
            g.Add((GazetteerList)list, parts[1].Trim(), surface, ref tokenBuffer);
        }
        return g;
    }

    private void Warn(string message)
    {
        if (_warnings.Count < 100) _warnings.Add(message);
    }

    /// <summary>Adds one surface form.</summary>
    public void Add(GazetteerList list, string canonical, string surface)
    {
        var buffer = new Token[16];
        Add(list, canonical, surface, ref buffer);
    }

    private void Add(GazetteerList list, string canonical, string surface, ref Token[] buffer)
    {
        int n = Tokenizer.Tokenize(surface, ref buffer);
        if (n == 0) return;
        int node = 0;
        ulong exact = TokenHash.Offset;
        uint bit = 1u << (int)list;
        for (int k = 0; k < n; k++)
        {
            var span = surface.AsSpan(buffer[k].Start, buffer[k].Length);
            ulong lower = TokenHash.Lower(span);
            if (n > 1 && span.Length > 1 && char.IsLetter(span[0]))
                _wordLists[lower] = _wordLists.GetValueOrDefault(lower) | bit;
            ulong key = EdgeKey(node, lower);
            if (!_edges.TryGetValue(key, out int child))
            {
                child = _nodeLists.Count;
                _nodeLists.Add(0);
                _edges[key] = child;
            }
            node = child;
            exact = TokenHash.Combine(exact, TokenHash.Exact(span));
        }
        _nodeLists[node] |= bit;
        ulong ek = TokenHash.Combine(exact, (ulong)node);
        _exact.TryGetValue(ek, out uint em);
        _exact[ek] = em | bit;
        if (!_canonicals.TryGetValue(node, out var entries)) _canonicals[node] = entries = [];
        if (!entries.Contains((list, canonical))) entries.Add((list, canonical));
        EntryCount++;
    }

    private static ulong EdgeKey(int node, ulong tokenHash) => TokenHash.Combine(tokenHash, (ulong)(uint)node);

    /// <summary>Hashes of token texts, as used by <see cref="Match"/>.</summary>
    public static void HashTokens(string text, ReadOnlySpan<Token> tokens, Span<ulong> lower, Span<ulong> exact)
    {
        for (int k = 0; k < tokens.Length; k++)
        {
            var span = text.AsSpan(tokens[k].Start, tokens[k].Length);
            lower[k] = TokenHash.Lower(span);
            exact[k] = TokenHash.Exact(span);
        }
    }

    /// <summary>
    /// Leftmost-longest matching in one left-to-right pass: at each token the trie is walked as far as the tokens allow;
    /// the longest entry found covers its tokens (B/I/L or U) and matching resumes after it.
    /// </summary>
    public void Match(ReadOnlySpan<ulong> lower, ReadOnlySpan<ulong> exact, Span<GazetteerMatch> result)
    {
        int n = lower.Length;
        result.Clear();
        for (int k = 0; k < n; k++)
        {
            result[k].Node = -1;
            if (_edges.TryGetValue(EdgeKey(0, lower[k]), out int c)) result[k].UnigramLists = _nodeLists[c];
            if (_wordLists.TryGetValue(lower[k], out uint w)) result[k].WordLists = w;
        }
        int i = 0;
        while (i < n)
        {
            int node = 0, bestEnd = -1, bestNode = -1;
            for (int j = i; j < n; j++)
            {
                if (!_edges.TryGetValue(EdgeKey(node, lower[j]), out node)) break;
                if (_nodeLists[node] != 0) { bestEnd = j; bestNode = node; }
            }
            if (bestEnd < 0) { i++; continue; }
            ulong h = TokenHash.Offset;
            for (int j = i; j <= bestEnd; j++) h = TokenHash.Combine(h, exact[j]);
            _exact.TryGetValue(TokenHash.Combine(h, (ulong)bestNode), out uint exactLists);
            uint lists = _nodeLists[bestNode];
            for (int j = i; j <= bestEnd; j++)
            {
                result[j].Lists = lists;
                result[j].ExactLists = exactLists;
                result[j].Node = bestNode;
                result[j].Position = bestEnd == i ? GazetteerPosition.Unit
                    : j == i ? GazetteerPosition.Begin : j == bestEnd ? GazetteerPosition.Last : GazetteerPosition.Inside;
            }
            i = bestEnd + 1;
        }
    }

    /// <summary>Lists and canonical names of the entry spelled exactly by the given tokens (case-insensitive), or null.</summary>
    public IReadOnlyList<(GazetteerList List, string Canonical)>? Lookup(ReadOnlySpan<ulong> lower)
    {
        if (lower.Length == 0) return null;
        int node = 0;
        foreach (var h in lower)
            if (!_edges.TryGetValue(EdgeKey(node, h), out node)) return null;
        return _canonicals.TryGetValue(node, out var entries) ? entries : null;
    }

    /// <summary>Convenience: looks a surface string up (tokenised with the pipeline tokenizer).</summary>
    public IReadOnlyList<(GazetteerList List, string Canonical)>? Lookup(string surface)
    {
        var tokens = Tokenizer.Tokenize(surface);
        var hashes = new ulong[tokens.Length];
        for (int k = 0; k < tokens.Length; k++) hashes[k] = TokenHash.Lower(tokens[k].Span(surface));
        return Lookup(hashes);
    }
}
