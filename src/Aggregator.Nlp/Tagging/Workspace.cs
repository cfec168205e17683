using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Tagging;

/// <summary>Per-token flags computed once per document.</summary>
[Flags]
internal enum TokenInfo : ushort
{
    None = 0,
    InitCap = 1,
    AllCaps = 2,
    HasLower = 4,
    HasDigit = 8,
    AllDigit = 16,
    Punct = 32,
    HasLetter = 64,
    SentenceStart = 128,
    CapsSentence = 256,
    ParagraphStart = 512,
    NewlineBefore = 1024,
    SentenceEnd = 2048,
    /// <summary>Title-case sentence (headline style: most longer words capitalised).</summary>
    TitleSentence = 4096,
    /// <summary>Title abbreviation such as "Mr." or "Gen.": never inside an entity.</summary>
    TitleAbbreviation = 8192,
    /// <summary>Sentence that is a table row or a results line: mostly numbers and names, few ordinary words.</summary>
    TableRow = 16384,
}

/// <summary>
/// Reusable scratch buffers for one document (one per thread). Everything the tagger computes is indexed by token
/// position; the document text is never copied and no per-token objects are created.
/// </summary>
internal sealed class Workspace
{
    public string Text = "";
    public Token[] Tokens = new Token[256];
    public int Count;
    /// <summary>How much the document reads like a sports story: 0 none, 1 some, 2 clearly (share of sport words).</summary>
    public int SportLevel;
    public ulong[] Lower = new ulong[256];
    public ulong[] Exact = new ulong[256];
    public ulong[] Shape = new ulong[256];
    public TokenInfo[] Info = new TokenInfo[256];
    public int[] Sentence = new int[256];
    public GazetteerMatch[] Gaz = new GazetteerMatch[256];
    public byte[] Classes = new byte[256];
    /// <summary>Capitalised run (name-like span) containing the token: start and end token (inclusive), -1 if none.</summary>
    public int[] RunStart = new int[256];
    public int[] RunEnd = new int[256];
    /// <summary>Gazetteer lists of any token of the token's run.</summary>
    public uint[] RunLists = new uint[256];
    public readonly DecoderScratch Scratch = new();

    /// <summary>Static features, token k at [FeatOffsets[k], FeatOffsets[k+1]).</summary>
    public ulong[] Feats = new ulong[256 * 64];
    public int[] FeatOffsets = new int[257];
    /// <summary>Second-pass document features, token k at [DocOffsets[k], DocOffsets[k+1]).</summary>
    public ulong[] DocFeats = new ulong[256 * 16];
    public int[] DocOffsets = new int[257];

    public byte[] Pass1 = new byte[256];
    public byte[] Tags = new byte[256];

    public readonly Dictionary<ulong, int> DocIndex = new();
    public int[] DocStats = new int[64 * DocStatStride];
    public readonly List<(ulong Initials, EntityType Type)> Acronyms = new();
    public readonly HashSet<ulong> RepairWords = new();
    public const int DocStatStride = 16;

    /// <summary>View for the decoder; with or without the second-pass document features.</summary>
    public DocView View(bool withDocFeatures) => new(Count, Feats, FeatOffsets.AsSpan(0, Count + 1),
        withDocFeatures ? DocFeats : default, withDocFeatures ? DocOffsets.AsSpan(0, Count + 1) : default,
        Classes.AsSpan(0, Count), Sentence.AsSpan(0, Count), Info.AsSpan(0, Count));

    public void EnsureTokens(int n)
    {
        if (Lower.Length >= n) return;
        int size = Math.Max(n, Lower.Length * 2);
        Array.Resize(ref Lower, size);
        Array.Resize(ref Exact, size);
        Array.Resize(ref Shape, size);
        Array.Resize(ref Info, size);
        Array.Resize(ref Sentence, size);
        Array.Resize(ref Gaz, size);
        Array.Resize(ref Classes, size);
        Array.Resize(ref RunStart, size);
        Array.Resize(ref RunEnd, size);
        Array.Resize(ref RunLists, size);
        Array.Resize(ref FeatOffsets, size + 1);
        Array.Resize(ref DocOffsets, size + 1);
        Array.Resize(ref Pass1, size);
        Array.Resize(ref Tags, size);
    }
}
