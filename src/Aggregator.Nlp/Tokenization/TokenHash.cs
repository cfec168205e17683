using System.Runtime.CompilerServices;

namespace Aggregator.Nlp.Tokenization;

/// <summary>Allocation-free 64-bit hashing of token text (FNV-1a with a final mix). Typographic apostrophes and quotes
/// are folded to their ASCII forms so that "Taliban’s" and "Taliban's" hash alike.</summary>
public static class TokenHash
{
    public const ulong Offset = 14695981039346656037UL;
    public const ulong Prime = 1099511628211UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Fold(char c) => c switch
    {
        '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4' => '\'',
        '\u201C' or '\u201D' or '\u201E' or '\u00AB' or '\u00BB' => '"',
        '\u2013' or '\u2014' or '\u2010' or '\u2011' or '\u2212' => '-',
        _ => c,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Lower(char c)
    {
        if (c < 128) return (uint)(c - 'A') <= 'Z' - 'A' ? (char)(c | 0x20) : c;
        return char.ToLowerInvariant(Fold(c));
    }

    /// <summary>Hash of the lower-cased, folded text.</summary>
    public static ulong Lower(ReadOnlySpan<char> s)
    {
        ulong h = Offset;
        foreach (char c in s) { h ^= Lower(c); h *= Prime; }
        return Finish(h);
    }

    /// <summary>Hash of the folded text with case kept.</summary>
    public static ulong Exact(ReadOnlySpan<char> s)
    {
        ulong h = Offset;
        foreach (char c in s) { h ^= c < 128 ? c : Fold(c); h *= Prime; }
        return Finish(h);
    }

    /// <summary>Hash of a string (ordinal), e.g. a corpus line for the train/test split.</summary>
    public static ulong Fnv1a(ReadOnlySpan<char> s)
    {
        ulong h = Offset;
        foreach (char c in s) { h ^= (byte)c; h *= Prime; h ^= (byte)(c >> 8); h *= Prime; }
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Finish(ulong h)
    {
        h ^= h >> 33; h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }

    /// <summary>Combines two hashes (order-sensitive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong a, ulong b) => Finish(a * 0x9E3779B97F4A7C15UL + b + 0x632BE59BD9B4E019UL);
}
