using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;

namespace Aggregator.Nlp.Tagging;

/// <summary>
/// Read-only weights of one perceptron: an open-addressing hash table (linear probing) from 64-bit feature keys to
/// a row of a float matrix with <see cref="Stride"/> columns (13 tags, padded to 16 = one cache line).
/// </summary>
internal sealed class WeightTable : IScorer
{
    public const int Stride = 16;

    private readonly ulong[] _keys;
    private readonly int[] _rows;
    private readonly int _mask;
    private readonly float[] _weights;

    public int Count { get; }

    /// <summary>Builds the table; <paramref name="weights"/> holds <see cref="Bilou.NumTags"/> values per key.</summary>
    public WeightTable(ReadOnlySpan<ulong> keys, ReadOnlySpan<float> weights)
    {
        Count = keys.Length;
        int cap = 16;
        while (cap < keys.Length * 2) cap <<= 1;
        _keys = new ulong[cap];
        _rows = new int[cap];
        _mask = cap - 1;
        _weights = new float[keys.Length * Stride];
        for (int r = 0; r < keys.Length; r++)
        {
            ulong k = Norm(keys[r]);
            int slot = (int)(k & (ulong)_mask);
            while (_keys[slot] != 0)
            {
                if (_keys[slot] == k) throw new InvalidDataException("duplicate feature key in model");
                slot = (slot + 1) & _mask;
            }
            _keys[slot] = k;
            _rows[slot] = r;
            weights.Slice(r * Bilou.NumTags, Bilou.NumTags).CopyTo(_weights.AsSpan(r * Stride));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Norm(ulong k) => k == 0 ? 1 : k;

    /// <summary>Approximate bytes held by the table.</summary>
    public long MemoryBytes => _keys.Length * 8L + _rows.Length * 4L + _weights.Length * 4L;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong key)
    {
        key = Norm(key);
        int slot = (int)(key & (ulong)_mask);
        while (true)
        {
            ulong k = _keys[slot];
            if (k == key) return _rows[slot];
            if (k == 0) return -1;
            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Adds the weight rows of all present features to <paramref name="scores"/> (length ≥ Stride).</summary>
    public void AddScores(ReadOnlySpan<ulong> features, Span<float> scores)
    {
        var w = _weights;
        if (Vector256.IsHardwareAccelerated)
        {
            var a0 = Vector256.Create<float>(scores[..8]);
            var a1 = Vector256.Create<float>(scores.Slice(8, 8));
            ref float wr = ref MemoryMarshal.GetArrayDataReference(w);
            foreach (ulong f in features)
            {
                int row = Find(f);
                if (row < 0) continue;
                nuint o = (nuint)(row * Stride);
                a0 += Vector256.LoadUnsafe(ref wr, o);
                a1 += Vector256.LoadUnsafe(ref wr, o + 8);
            }
            a0.CopyTo(scores);
            a1.CopyTo(scores[8..]);
            return;
        }
        foreach (ulong f in features)
        {
            int row = Find(f);
            if (row < 0) continue;
            int o = row * Stride;
            for (int c = 0; c < Bilou.NumTags; c++) scores[c] += w[o + c];
        }
    }

    /// <summary>Enumerates (key, weights) pairs sorted by key (for serialisation).</summary>
    public IEnumerable<(ulong Key, float[] Weights)> Entries()
    {
        var list = new List<(ulong, int)>(Count);
        for (int s = 0; s < _keys.Length; s++) if (_keys[s] != 0) list.Add((_keys[s], _rows[s]));
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        foreach (var (k, r) in list) yield return (k, _weights.AsSpan(r * Stride, Bilou.NumTags).ToArray());
    }
}
