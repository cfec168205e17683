using System.Diagnostics;
using Aggregator.Core.Extraction;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator bench extract DIR: extracts every DIR/*/source.html (at the address in url.txt beside it, when there)
/// in this one process, after a warm-up, and prints one line: pages=N median_ms=X mean_ms=Y p95_ms=Z.
/// The format is a contract: outside evaluation reads it. Decoding is done before the clock; extraction alone is timed.
/// </summary>
public static class BenchExtractCommand
{
    /// <summary>
    /// Passes over the pages before the timed one, for at least this long: the JIT moves hot code to its optimised
    /// tier (through an instrumented one) only after calls stop bringing new methods: the first passes run slower code.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private const int MinimumWarmUpPasses = 5;

    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        if (args.Positional.Count != 1 || !Directory.Exists(args.Positional[0]))
            throw new ArgumentException("usage: aggregator bench extract DIR (a folder of */source.html, each with an optional url.txt)");
        var pages = new List<(string Html, Uri Url)>();
        foreach (var folder in Directory.GetDirectories(args.Positional[0]).Order(StringComparer.Ordinal))
        {
            var source = Path.Combine(folder, "source.html");
            if (!File.Exists(source)) continue;
            var urlFile = Path.Combine(folder, "url.txt");
            var url = File.Exists(urlFile) ? (await File.ReadAllTextAsync(urlFile)).Trim() : null;
            pages.Add(await ExtractCommand.ReadPageAsync(source, url));
        }
        if (pages.Count == 0) throw new ArgumentException($"no */source.html under {args.Positional[0]}");

        var warmUp = Stopwatch.StartNew();
        for (var pass = 0; pass < MinimumWarmUpPasses || warmUp.Elapsed < WarmUp; pass++)
            foreach (var (html, url) in pages) ArticleExtractor.Extract(html, url);
        var timings = new List<double>(pages.Count);
        foreach (var (html, url) in pages)
        {
            var clock = Stopwatch.StartNew();
            ArticleExtractor.Extract(html, url);
            timings.Add(clock.Elapsed.TotalMilliseconds);
        }
        timings.Sort();
        var median = timings.Count % 2 == 1 ? timings[timings.Count / 2] : (timings[timings.Count / 2 - 1] + timings[timings.Count / 2]) / 2;
        var p95 = timings[Math.Min(timings.Count - 1, (int)Math.Ceiling(timings.Count * 0.95) - 1)];
        await stdout.WriteLineAsync(FormattableString.Invariant($"pages={pages.Count} median_ms={median:0.00} mean_ms={timings.Average():0.00} p95_ms={p95:0.00}"));
        return 0;
    }
}
