using System.Diagnostics;
using System.Text;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Aggregator.Storage;
using static Aggregator.Cli.Commands.Synthetic;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator bench queries [--stories N] [--db PATH | --postgres CONNECTION]: generates N stories (default 1,000,000)
/// with about 20 mentions each into a SQLite file or a PostgreSQL database (kept, so the API can be load-tested on it),
/// then prints p50/p95 of the analysts' queries and the time an analyst's merge of a 10,000-story entity (and its undo)
/// takes. A store with enough stories is reused.
/// </summary>
public static class BenchQueriesCommand
{
    private const int Entities = 50_000;
    private const int Batch = 500;

    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        var count = int.Parse(args.Option("stories") ?? "1000000");
        var db = args.Option("db") ?? Path.Combine(Path.GetTempPath(), $"aggregator-bench-{count}.db");
        var postgres = args.Option("postgres");
        using var host = CliHost.Build(postgres is null
            ? new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = db }
            : new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["Storage:Postgres:ConnectionString"] = postgres });
        var services = host.Services;
        await services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        var stories = services.GetRequiredService<IStoryStore>();
        var entities = services.GetRequiredService<IEntityStore>();
        var now = DateTimeOffset.UtcNow;

        var existing = (await stories.StatsAsync(now)).Stories;
        if (existing < count) await GenerateAsync(services, stories, (int)existing, count, now, stdout);
        if (postgres is null)
        {
            var size = Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(db))!, Path.GetFileName(db) + "*").Sum(f => new FileInfo(f).Length);
            await stdout.WriteLineAsync($"database: {db}, {count} stories, {size / 1048576.0:0} MB on disk (with WAL)");
        }
        else await stdout.WriteLineAsync($"database: PostgreSQL, {count} stories");

        var random = new Random(7);
        // Query entities as analysts would: mostly the frequent ones, drawn Zipf-like from the 2,000 most mentioned.
        var known = (await entities.ListAsync(new EntityQuery { Limit = 2000 })).Select(e => e.Name).ToList();
        var names = new Func<string>(() => known[Zipf(random, known.Count)]);
        await MeasureAsync(stdout, "stories by entity, newest 20", async () =>
        {
            var ids = await entities.ResolveAsync(names(), null);
            await stories.SearchAsync(new StoryQuery { EntityFilters = [ids] });
        });
        await MeasureAsync(stdout, "stories by two entities (AND), newest 20", async () =>
        {
            var a = await entities.ResolveAsync(names(), null);
            var b = await entities.ResolveAsync(names(), null);
            await stories.SearchAsync(new StoryQuery { EntityFilters = [a, b] });
        });
        await MeasureAsync(stdout, "text + entity, newest 20", async () =>
        {
            var ids = await entities.ResolveAsync(names(), null);
            await stories.SearchAsync(new StoryQuery { Text = SearchExpression.Parse(Word(Zipf(random, 5000))), EntityFilters = [ids] });
        });
        await MeasureAsync(stdout, "entity detail (page of /api/entities/{id}: 30 daily points, 10 co-occurrences, 10 stories)", async () =>
        {
            var id = (await entities.ResolveAsync(names(), null))[0];
            await entities.GetAsync(id);
            await entities.SeriesAsync(id, now.AddDays(-30), now, SeriesInterval.Day);
            await entities.CooccurrencesAsync(id, null, now.AddDays(-30), now, 10);
            await stories.SearchAsync(new StoryQuery { EntityFilters = [[id]], Limit = 10 });
        });
        await MeasureAsync(stdout, "co-occurrences, last 30 days", async () =>
        {
            var id = (await entities.ResolveAsync(names(), null))[0];
            await entities.CooccurrencesAsync(id, null, now.AddDays(-30), now, 20);
        });
        await MeasureAsync(stdout, "trends, 24 h window against 7 days", () => entities.TrendsAsync(now, TimeSpan.FromHours(24), TimeSpan.FromDays(7), null, 20), runs: 40);
        await MeasureEditsAsync(stdout, entities);
        return 0;
    }

    /// <summary>
    /// An analyst's merge of the entity with the number of stories nearest 10,000 into the next nearest, then its undo,
    /// a few times over (each undo leaves the store as it was).
    /// </summary>
    private static async Task MeasureEditsAsync(TextWriter stdout, IEntityStore entities)
    {
        const int Stories = 10_000;
        var ranked = await entities.ListAsync(new EntityQuery { Limit = 500 });
        var source = ranked.MinBy(e => Math.Abs(e.Stories - Stories))!;
        var target = ranked.Where(e => e.Id != source.Id).MinBy(e => Math.Abs(e.Stories - Stories))!;
        var (merges, undos) = (new List<double>(), new List<double>());
        for (var round = 0; round < 5; round++)
        {
            var watch = Stopwatch.StartNew();
            var merge = await entities.MergeAsync(source.Id, target.Id, "bench");
            merges.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await entities.UndoAsync(merge.Id, "bench");
            undos.Add(watch.Elapsed.TotalMilliseconds);
        }
        var after = (await entities.GetAsync(source.Id))!;
        await stdout.WriteLineAsync($"merge of an entity with {source.Stories} stories into one with {target.Stories}: {Synthetic.Percentiles(merges)}; " +
                                    $"its undo: {Synthetic.Percentiles(undos)} (5 runs; after them {after.Stories} stories, {after.Mentions} mentions as before: {after.Stories == source.Stories && after.Mentions == source.Mentions})");
    }

    private static async Task GenerateAsync(IServiceProvider services, IStoryStore stories, int from, int count, DateTimeOffset now, TextWriter stdout)
    {
        var (feed, _) = await services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition("https://bench.example/rss", "Bench"), true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var start = from; start < count; start += Batch)
        {
            var batch = Enumerable.Range(start, Math.Min(Batch, count - start)).Select(n => Story(n, count, feed.Id, now)).ToList();
            await stories.SaveManyAsync(batch);
            if ((start / Batch) % 200 == 0)
                Console.Error.WriteLine($"generated {start + batch.Count} stories, {(start + batch.Count - from) / clock.Elapsed.TotalSeconds:0}/s");
        }
        await stdout.WriteLineAsync($"generated {count - from} stories in {clock.Elapsed.TotalSeconds:0} s ({(count - from) / clock.Elapsed.TotalSeconds:0}/s, " +
                                    $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / (count - from):0.00} CPU ms/story)");
    }

    /// <summary>A story of about 120 words with 20 mentions of Zipf-chosen entities, published over the last year;
    /// a few entities surge in the last day so that trends have something to find.</summary>
    private static NewStory Story(int n, int count, long feedId, DateTimeOffset now)
    {
        var random = new Random(n);
        var published = now.AddSeconds(-random.NextDouble() * 365 * 86400);
        var surge = random.Next(100) == 0;
        if (surge) published = now.AddSeconds(-random.NextDouble() * 86400);
        var text = new StringBuilder();
        var mentions = new List<StoryMention>();
        for (var i = 0; i < 20; i++)
        {
            for (var w = 0; w < 5; w++) text.Append(Word(Zipf(random, 5000))).Append(' ');
            var entity = surge && i < 3 ? 10 + random.Next(5) : Zipf(random, Entities);
            var name = Name(entity);
            mentions.Add(new StoryMention(StoryField.Text, text.Length, text.Length + name.Length, (EntityType)(entity % 3), name, name));
            text.Append(name).Append(". ");
        }
        return new NewStory
        {
            FeedId = feedId, Guid = $"b{n}", Title = $"{Word(Zipf(random, 5000))} {Word(Zipf(random, 5000))} {Name(Zipf(random, Entities))}",
            Link = $"https://bench.example/{n}", Published = published, Text = text.ToString(), Extraction = ExtractionStatus.Extracted,
            ContentHash = $"b{n}", Mentions = mentions, TaggerVersion = "bench",
        };
    }

    private static async Task MeasureAsync(TextWriter stdout, string name, Func<Task> query, int runs = 300)
    {
        for (var i = 0; i < 10; i++) await query(); // warm the page cache
        var timings = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await query();
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }
        await stdout.WriteLineAsync($"{name}: {Synthetic.Percentiles(timings)} ({runs} runs)");
    }

    private static string Name(int entity) => $"{char.ToUpperInvariant(Word(entity + 7)[0])}{Word(entity + 7)[1..]} {char.ToUpperInvariant(Word(entity * 31 + 3)[0])}{Word(entity * 31 + 3)[1..]}";
}
