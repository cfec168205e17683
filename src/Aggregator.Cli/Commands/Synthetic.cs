using System.Text;

namespace Aggregator.Cli.Commands;

/// <summary>What the benchmarks generate and report: Zipf-distributed made-up words, and latency percentiles.</summary>
internal static class Synthetic
{
    private static readonly string[] Syllables = ["ka", "lo", "mi", "ten", "sar", "vo", "ril", "pa", "do", "nes", "tra", "bel", "quo", "min", "ust", "fer"];

    /// <summary>A rank in [0, n), small ranks far more often, as word frequencies in text are.</summary>
    public static int Zipf(Random random, int n) => (int)Math.Min(n - 1, Math.Floor(1 / Math.Max(1e-9, random.NextDouble())) - 1);

    /// <summary>A distinct made-up word for each rank.</summary>
    public static string Word(int rank)
    {
        var builder = new StringBuilder();
        for (var r = rank + 1; r > 0; r /= Syllables.Length) builder.Append(Syllables[r % Syllables.Length]);
        return builder.ToString();
    }

    public static string Word(Random random) => Word(Zipf(random, 20_000));

    /// <summary>"p50 x ms, p95 y ms" of the timings (milliseconds).</summary>
    public static string Percentiles(List<double> timings)
    {
        timings.Sort();
        return $"p50 {timings[timings.Count / 2]:0.00} ms, p95 {timings[(int)(timings.Count * 0.95)]:0.00} ms";
    }
}
