using Aggregator.Nlp.Tagging;

namespace Aggregator.Nlp.Training;

/// <summary>Multi-class averaged perceptron over hashed features (training-time representation; lazy averaging with
/// per-weight time stamps).</summary>
internal sealed class AveragedPerceptron : IScorer
{
    private const int C = Bilou.NumTags;
    private readonly Dictionary<ulong, int> _index = new();
    private float[] _w = new float[1 << 16];
    private double[] _totals = new double[1 << 16];
    private int[] _stamps = new int[1 << 16];
    private ulong[] _keys = new ulong[1 << 16 / C];
    private int _rows;
    private int _step;

    public int Rows => _rows;

    public void AddScores(ReadOnlySpan<ulong> features, Span<float> scores)
    {
        foreach (ulong f in features)
        {
            if (!_index.TryGetValue(f, out int r)) continue;
            var row = _w.AsSpan(r * C, C);
            for (int c = 0; c < C; c++) scores[c] += row[c];
        }
    }

    public void Tick() => _step++;

    public void Update(ReadOnlySpan<ulong> features, byte truth, byte guess)
    {
        foreach (ulong f in features)
        {
            int r = Row(f);
            Bump(r * C + truth, 1f);
            Bump(r * C + guess, -1f);
        }
    }

    public void UpdateOne(ulong feature, byte tag, float delta) => Bump(Row(feature) * C + tag, delta);

    private void Bump(int i, float v)
    {
        _totals[i] += (double)(_step - _stamps[i]) * _w[i];
        _stamps[i] = _step;
        _w[i] += v;
    }

    private int Row(ulong f)
    {
        if (_index.TryGetValue(f, out int r)) return r;
        r = _rows++;
        _index[f] = r;
        if (_rows * C > _w.Length)
        {
            int size = _w.Length * 2;
            Array.Resize(ref _w, size);
            Array.Resize(ref _totals, size);
            Array.Resize(ref _stamps, size);
        }
        if (_rows > _keys.Length) Array.Resize(ref _keys, Math.Max(_rows, _keys.Length * 2));
        _keys[r] = f;
        return r;
    }

    /// <summary>Averaged weights of the rows <paramref name="keep"/> accepts and that are not all (near) zero.</summary>
    public (ulong[] Keys, float[] Weights) Averaged(Func<ulong, bool> keep, float minAbs = 1e-4f)
    {
        var keys = new List<ulong>(_rows);
        var weights = new List<float>(_rows * C);
        var row = new float[C];
        for (int r = 0; r < _rows; r++)
        {
            if (!keep(_keys[r])) continue;
            bool any = false;
            for (int c = 0; c < C; c++)
            {
                int i = r * C + c;
                double total = _totals[i] + (double)(_step - _stamps[i]) * _w[i];
                row[c] = _step == 0 ? 0f : (float)(total / _step);
                if (Math.Abs(row[c]) >= minAbs) any = true;
            }
            if (!any) continue;
            keys.Add(_keys[r]);
            weights.AddRange(row);
        }
        return (keys.ToArray(), weights.ToArray());
    }
}
