using System.Diagnostics;
using System.Text;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Languages;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator bench ingest [--items N] [--feeds F] [--rounds R] [--search-stories M] [--no-language]: serves generated
/// feeds and article pages on loopback, ingests them end to end (fetch, parse, extract, detect language, tag, resolve
/// entities, store) and prints stories/second, R rounds with entity resolution off and on in turn (each on a new
/// database), and what the language stage costs (memory, time per story) unless --no-language switches it off; then
/// fills a database to M stories and prints p50/p95 of full-text story searches. Figures, not pass/fail.
/// </summary>
public static class BenchIngestCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        var items = int.Parse(args.Option("items") ?? "2000");
        var feedCount = int.Parse(args.Option("feeds") ?? "20");
        var rounds = int.Parse(args.Option("rounds") ?? "2");
        var searchStories = int.Parse(args.Option("search-stories") ?? "100000");
        var detectLanguage = !args.Flag("no-language");
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var server = await StartServerAsync(items, feedCount);
            var runs = new Dictionary<bool, List<(double PerSecond, double CpuMs)>> { [false] = [], [true] = [] };
            for (var round = 0; round < rounds * 2; round++)
            {
                var resolve = round % 2 == 1;
                runs[resolve].Add(await IngestAsync(server.BaseUrl(), feedCount, detectLanguage, round == 0, Path.Combine(directory, $"ingest-{round}.db"), resolve, stdout));
            }
            var (on, off) = (runs[true], runs[false]);
            await stdout.WriteLineAsync($"ingest: resolution on {on.Average(r => r.PerSecond):0} stories/s, {on.Average(r => r.CpuMs):0.00} CPU ms/story; " +
                                        $"off {off.Average(r => r.PerSecond):0} stories/s, {off.Average(r => r.CpuMs):0.00} CPU ms/story " +
                                        $"(on/off: {(on.Average(r => r.PerSecond) / off.Average(r => r.PerSecond) - 1) * 100:+0.0;-0.0}% stories/s, " +
                                        $"{(on.Average(r => r.CpuMs) / off.Average(r => r.CpuMs) - 1) * 100:+0.0;-0.0}% CPU per story; mean of {rounds} rounds each)");
            await SearchAsync(searchStories, Path.Combine(directory, "search.db"), stdout);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
        return 0;
    }

    /// <param name="measureLanguage">Whether to print what the language stage costs (once, in the first round).</param>
    /// <returns>Stories per second, and the process's CPU time per story (the loopback server's share included, alike for every run):
    /// the steadier figure on a machine that others share.</returns>
    private static async Task<(double PerSecond, double CpuMs)> IngestAsync(string baseUrl, int feedCount, bool detectLanguage, bool measureLanguage, string db, bool resolve, TextWriter stdout)
    {
        using var host = CliHost.Build(new Dictionary<string, string?>
        {
            ["Storage:Sqlite:Path"] = db,
            ["Fetching:AllowedNetworks:0"] = "127.0.0.0/8", // the benchmark's own feed server, on loopback only
            ["Entities:Resolve"] = resolve.ToString(),
            ["Ingestion:MaxItemsPerPoll"] = "100000",
            ["Language:Detect"] = detectLanguage.ToString(),
        });
        var services = host.Services;
        await services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        if (detectLanguage && measureLanguage) await stdout.WriteLineAsync(MeasureLanguageStage(services.GetRequiredService<LanguageDetection>()));
        var feeds = services.GetRequiredService<IFeedStore>();
        var poller = services.GetRequiredService<FeedPoller>();
        var ids = new List<long>();
        for (var f = 0; f < feedCount; f++)
            ids.Add((await feeds.AddAsync(new FeedDefinition($"{baseUrl}/feed/{f}", $"Feed {f}"), true)).Feed.Id);
        // Warm up the JIT, the extractor and the tagger on one item outside the clock.
        await poller.IngestAsync((await feeds.GetAsync(ids[0]))!, new Core.Parsing.ParsedFeed("rss-2.0", null, null,
            [new Core.Parsing.ParsedItem { Guid = "warm-up", Title = "Warm up", Link = $"{baseUrl}/article/warm", Summary = "warm" }]), true);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        // Two polls at a time, as two Hangfire workers would; each poll fetches its articles four at a time.
        var reports = new List<IngestionReport>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (id, ct) =>
        {
            var report = await poller.PollAsync(id, force: true, ct);
            lock (reports) reports.Add(report);
        });
        clock.Stop();
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var stored = reports.Sum(r => r.Stored);
        var english = await CountAsync(services.GetRequiredService<IStoryStore>(), new StoryQuery { Language = LanguageCode.English });
        await stdout.WriteLineAsync($"ingest (resolution {(resolve ? "on" : "off")}): {stored} stories from {feedCount} feeds in {clock.Elapsed.TotalSeconds:0.00} s = {stored / clock.Elapsed.TotalSeconds:0} stories/s, " +
                                    $"{cpuMs / stored:0.00} CPU ms/story (fetch + parse + article fetch + extract + {(detectLanguage ? "language + " : "")}tag + resolve + store; " +
                                    $"{english} detected English; errors: {reports.Sum(r => r.Errors.Count)})");
        return (stored / clock.Elapsed.TotalSeconds, cpuMs / stored);
    }

    /// <summary>The managed memory the detector and its models take, and its time per story on the bench's article texts.</summary>
    private static string MeasureLanguageStage(LanguageDetection languages)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var load = Stopwatch.StartNew();
        languages.Decide("", Text.Paragraphs(new Random(0), 6, english: true), null);
        load.Stop();
        var memory = GC.GetTotalMemory(forceFullCollection: true) - before;
        var texts = Enumerable.Range(1, 300).Select(n => (Title: Text.Sentence(new Random(-n - 1), 8, english: true), Text: Text.Paragraphs(new Random(n), 6, english: true))).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var (title, text) in texts) languages.Decide(title, text, null);
        clock.Stop();
        return $"language: {LanguageDetection.NewsLanguages.Count} languages, detector and models {memory / 1048576.0:0.0} MB managed, first call {load.Elapsed.TotalSeconds:0.0} s, " +
               $"then {clock.Elapsed.TotalMilliseconds / texts.Count:0.00} ms per story (single thread, {texts.Average(t => t.Text.Length):0} characters of text; " +
               "made-up words are a worst case: few of their trigrams are in any model)";
    }

    private static async Task<int> CountAsync(IStoryStore stories, StoryQuery query)
    {
        var count = 0;
        for (var page = await stories.SearchAsync(query with { Limit = StoryQuery.MaxLimit }); ;
             page = await stories.SearchAsync(query with { Limit = StoryQuery.MaxLimit, After = StoryCursor.Decode(page.Next) }))
        {
            count += page.Items.Count;
            if (page.Next is null) return count;
        }
    }

    private static async Task SearchAsync(int storyCount, string db, TextWriter stdout)
    {
        using var host = CliHost.Build(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = db });
        var services = host.Services;
        await services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        var stories = services.GetRequiredService<IStoryStore>();
        var (feed, _) = await services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition("https://bench.example/rss", "Bench"), true);
        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddDays(-365);
        var fill = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, storyCount), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (n, ct) =>
        {
            var text = Text.Paragraphs(new Random(n), 3);
            await stories.SaveAsync(new NewStory
            {
                FeedId = feed.Id,
                Guid = $"s{n}",
                Title = Text.Sentence(new Random(-n - 1), 8),
                Link = $"https://bench.example/{n}",
                Published = start.AddSeconds(n * (365.0 * 86400 / storyCount)),
                Text = text,
                Extraction = ExtractionStatus.Extracted,
                ContentHash = $"h{n}",
            }, ct);
        });
        fill.Stop();
        await stdout.WriteLineAsync($"search: filled {storyCount} stories in {fill.Elapsed.TotalSeconds:0} s ({storyCount / fill.Elapsed.TotalSeconds:0}/s, no tagging); database {new FileInfo(db).Length / 1048576.0:0} MB + WAL");

        var queries = Enumerable.Range(0, 300).Select(_ => Synthetic.Word(random) + (random.Next(3) == 0 ? " " + Synthetic.Word(random) : "")).ToList();
        foreach (var sort in new[] { StorySort.Published, StorySort.Relevance })
        {
            var timings = new List<double>();
            foreach (var (q, i) in queries.Select((q, i) => (q, i)))
            {
                var watch = Stopwatch.StartNew();
                await stories.SearchAsync(new StoryQuery { Text = SearchExpression.Parse(q), Sort = sort });
                if (i >= 20) timings.Add(watch.Elapsed.TotalMilliseconds); // the first queries warm the page cache
            }
            await stdout.WriteLineAsync($"search: q=<1-2 words> sort={sort.ToString().ToLowerInvariant()}: {Synthetic.Percentiles(timings)} over {timings.Count} queries");
        }
    }

    /// <summary>A loopback server of <paramref name="feedCount"/> generated feeds (/feed/{f}) and their article pages.</summary>
    internal static Task<WebApplication> StartServerAsync(int items, int feedCount) => LoopbackServer.StartAsync(app =>
    {
        var perFeed = Math.Max(1, items / feedCount);
        app.MapGet("/feed/{f:int}", (int f, HttpContext context) =>
        {
            var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}";
            var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Bench</title>");
            for (var i = 0; i < perFeed; i++)
            {
                var n = f * perFeed + i;
                xml.Append($"<item><guid>{n}</guid><title>{Text.Sentence(new Random(-n - 1), 8, english: true)}</title><link>{baseUrl}/article/{n}</link>")
                   .Append($"<description>{Text.Sentence(new Random(n), 20, english: true)}</description><pubDate>{DateTime.UtcNow.AddMinutes(-n):R}</pubDate></item>");
            }
            return Results.Text(xml.Append("</channel></rss>").ToString(), "application/rss+xml");
        });
        app.MapGet("/article/{n}", (string n) =>
        {
            var seed = int.TryParse(n, out var value) ? value : 0;
            var paragraphs = Text.Paragraphs(new Random(seed), 6, english: true).Split("\n\n").Select(p => $"<p>{p}</p>");
            return Results.Text($"<!DOCTYPE html><html><head><title>Article {n}</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Article {n}</h1>{string.Concat(paragraphs)}</article><footer>Footer</footer></body></html>", "text/html");
        });
    });

    /// <summary>
    /// News-like text: Zipf-distributed words with real names, places and organisations mixed in, for the tagger; with
    /// <c>english</c>, every other word is a common English word, so the language stage finds English (made-up words
    /// alone read as some other language) and the stories are tagged.
    /// </summary>
    private static class Text
    {
        private static readonly string[] Names = ["Sergei Lavrov", "Kabul", "Taliban", "Moscow", "United Nations", "Ursula von der Leyen", "Beijing", "NATO", "Narendra Modi", "Nairobi", "World Bank", "Gaza",
            "Lavrov", "Modi", "von der Leyen", "UN", "U.S.", "Vladimir Putin", "Putin", "Boris Johnson", "Dwayne Johnson", "Johnson"];
        private static readonly string[] EnglishWords = ["the", "of", "and", "to", "in", "for", "on", "said", "with", "that", "was", "after", "by", "from", "at", "is", "has", "will", "their", "which"];

        public static string Sentence(Random random, int words, bool english = false)
        {
            var parts = Enumerable.Range(0, words).Select(i =>
                english && i % 2 == 1 ? EnglishWords[random.Next(EnglishWords.Length)]
                : random.Next(8) == 0 ? Names[random.Next(Names.Length)] : Synthetic.Word(random));
            var sentence = string.Join(' ', parts) + ".";
            return char.ToUpperInvariant(sentence[0]) + sentence[1..];
        }

        public static string Paragraphs(Random random, int count, bool english = false) =>
            string.Join("\n\n", Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, 4).Select(_ => Sentence(random, 12 + random.Next(10), english)))));
    }
}
