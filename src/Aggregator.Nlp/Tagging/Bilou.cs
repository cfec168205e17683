namespace Aggregator.Nlp.Tagging;

/// <summary>A gold or predicted entity span over tokens: [StartToken, EndToken] inclusive.</summary>
public readonly record struct TokenSpan(int StartToken, int EndToken, EntityType Type);

/// <summary>
/// BILOU tag set over PER/LOC/ORG: tag 0 is O; tag 1 + 4*type + position with position B=0, I=1, L=2, U=3.
/// </summary>
public static class Bilou
{
    public const int NumTags = 13;
    public const byte O = 0;
    /// <summary>Pseudo tag used as "previous tag" before the first token of a sentence.</summary>
    public const byte Start = 13;
    public const int B = 0, I = 1, L = 2, U = 3;

    public static byte Tag(EntityType type, int position) => (byte)(1 + 4 * (int)type + position);
    public static EntityType TypeOf(byte tag) => (EntityType)((tag - 1) >> 2);
    public static int PositionOf(byte tag) => (tag - 1) & 3;
    public static bool IsEntity(byte tag) => tag is > 0 and < 13;

    /// <summary>True when <paramref name="tag"/> may follow <paramref name="prev"/> (prev = <see cref="Start"/> at a sentence start).</summary>
    public static bool IsValid(byte prev, byte tag)
    {
        bool prevOpen = prev is > 0 and < 13 && PositionOf(prev) is B or I;
        if (prevOpen)
            return tag != O && TypeOf(tag) == TypeOf(prev) && PositionOf(tag) is I or L;
        return tag == O || PositionOf(tag) is B or U;
    }

    /// <summary>True when the tag may end a sentence (O, L or U).</summary>
    public static bool CanEnd(byte tag) => tag == O || PositionOf(tag) is L or U;

    public static string Name(byte tag)
    {
        if (tag == O) return "O";
        if (tag == Start) return "<S>";
        return "BILU"[PositionOf(tag)] + "-" + EntityTypes.ToShort(TypeOf(tag));
    }

    /// <summary>Writes BILOU tags for the spans (tags must be zeroed, spans non-overlapping).</summary>
    public static void Encode(IEnumerable<TokenSpan> spans, Span<byte> tags)
    {
        foreach (var s in spans)
        {
            if (s.StartToken == s.EndToken) { tags[s.StartToken] = Tag(s.Type, U); continue; }
            tags[s.StartToken] = Tag(s.Type, B);
            for (int k = s.StartToken + 1; k < s.EndToken; k++) tags[k] = Tag(s.Type, I);
            tags[s.EndToken] = Tag(s.Type, L);
        }
    }

    /// <summary>Reads spans back from a (valid or invalid) tag sequence; ill-formed pieces are repaired leniently.</summary>
    public static List<TokenSpan> Decode(ReadOnlySpan<byte> tags)
    {
        var spans = new List<TokenSpan>();
        int start = -1;
        EntityType type = default;
        for (int k = 0; k < tags.Length; k++)
        {
            byte t = tags[k];
            if (!IsEntity(t))
            {
                if (start >= 0) { spans.Add(new TokenSpan(start, k - 1, type)); start = -1; }
                continue;
            }
            int pos = PositionOf(t);
            var ty = TypeOf(t);
            if (start >= 0 && (ty != type || pos is B or U))
            {
                spans.Add(new TokenSpan(start, k - 1, type));
                start = -1;
            }
            if (start < 0) { start = k; type = ty; }
            if (pos is L or U) { spans.Add(new TokenSpan(start, k, type)); start = -1; }
        }
        if (start >= 0) spans.Add(new TokenSpan(start, tags.Length - 1, type));
        return spans;
    }
}
