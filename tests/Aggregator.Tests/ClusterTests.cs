using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Aggregator.Tests.Support;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace Aggregator.Tests;

/// <summary>
/// The scale-out set-up as operators run it: worker processes and an API process over one PostgreSQL database, with
/// Hangfire on PostgreSQL as the only coordination between them.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output) : IClassFixture<PostgresSkipNotice>
{
    private const int FeedCount = 50, ItemsPerFeed = 50, Workers = 3;
    /// <summary>The last few items of every feed are the same wire stories (same link), so workers race to store them.</summary>
    private const int WireStories = 5;

    private static readonly string[] Places = ["Kabul", "Doha", "Tashkent", "Nairobi", "Mombasa", "Kyiv", "Ankara", "Geneva"];
    private static readonly string[] People = ["Sergei Lavrov", "Antonio Guterres", "Recep Tayyip Erdogan", "William Ruto"];

    [SkippableFact]
    public async Task Three_workers_and_an_api_store_every_item_exactly_once_and_all_workers_poll()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var server = await LocalServer.StartAsync();
        var feeds = new List<object>();
        for (var f = 0; f < FeedCount; f++)
        {
            var items = Enumerable.Range(0, ItemsPerFeed).Select(i => i < ItemsPerFeed - WireStories
                ? new Fixtures.Item($"f{f}-i{i}", $"Feed {f} story {i}", $"http://example.org/{f}/{i}", Body(f * ItemsPerFeed + i), PubDate(f * ItemsPerFeed + i))
                // The same wire story under each feed's own GUID.
                : new Fixtures.Item($"f{f}-wire-{i}", $"Wire story {i}", $"http://example.org/wire/{i}", Body(i), PubDate(i))).ToArray();
            server.MapContent($"/feed/{f}", Fixtures.Rss($"Feed {f}", items));
            feeds.Add(new { name = $"Feed {f}", url = server.Url($"/feed/{f}"), intervalMinutes = 60 });
        }
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var seedFile = Path.Combine(directory, "feeds.json");
        await File.WriteAllTextAsync(seedFile, System.Text.Json.JsonSerializer.Serialize(feeds));
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__Postgres__ConnectionString"] = database.ConnectionString,
            ["Feeds__SeedFile"] = seedFile,
            ["Fetching__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Ingestion__FetchArticles"] = "false",
            ["Jobs__WorkerCount"] = "4",
            ["RateLimiting__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Aggregator"] = "Information",
        };

        var processes = new List<ServiceProcess>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // Workers first, so that all of them are waiting for jobs when the API enqueues the first polls.
            var workers = new List<ServiceProcess>();
            for (var w = 0; w < Workers; w++)
            {
                var url = $"http://127.0.0.1:{FreePort()}";
                var worker = ServiceProcess.Start(environment, "--role", "worker", "--urls", url);
                processes.Add(worker);
                workers.Add(worker);
                using var probe = new HttpClient { BaseAddress = new Uri(url) };
                // Workers answer their health check and nothing else.
                await WaitUntilAsync(() => IsOkAsync(probe, "/health"), worker, $"worker {w} to answer /health");
                Assert.False(await IsOkAsync(probe, "/api/stories"));
            }
            var apiUrl = $"http://127.0.0.1:{FreePort()}";
            using var http = new HttpClient { BaseAddress = new Uri(apiUrl) };
            var api = ServiceProcess.Start(environment, "--role", "api", "--urls", apiUrl);
            processes.Add(api);
            await WaitUntilAsync(() => IsOkAsync(http, "/health/ready"), api, "the API to become ready");
            output.WriteLine($"{clock.Elapsed}: workers and API up");

            // Extra polls of every feed while the first ones run: a feed's lease keeps two workers off it at once.
            var ids = await http.GetFromJsonAsync<List<FeedId>>("/api/feeds");
            Assert.Equal(FeedCount, ids!.Count);
            foreach (var feed in ids)
                (await http.PostAsync($"/api/feeds/{feed.Id}/refresh", null)).EnsureSuccessStatusCode();

            const int expectedStories = FeedCount * (ItemsPerFeed - WireStories) + WireStories;
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            long linked = 0;
            try
            {
                await WaitUntilAsync(async () => (linked = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM story_feeds")) == FeedCount * ItemsPerFeed,
                    api, $"all {FeedCount * ItemsPerFeed} items to be stored", TimeSpan.FromMinutes(3));
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} {linked} were.\n" + string.Join("\n---\n", processes.Select(p => string.Join('\n', p.Output.TakeLast(30)))));
            }
            output.WriteLine($"{clock.Elapsed}: all items stored");
            // Let any poll still running finish: nothing more may be stored.
            await Task.Delay(TimeSpan.FromSeconds(2));

            Assert.Equal(expectedStories, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM stories"));
            Assert.Equal(expectedStories, await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT link) FROM stories"));
            Assert.Equal(FeedCount * ItemsPerFeed, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM story_feeds"));
            Assert.Equal(FeedCount, await connection.ExecuteScalarAsync<long>(
                "SELECT count(DISTINCT feed_id) FROM story_feeds sf JOIN stories s ON s.id = sf.story_id WHERE s.link LIKE 'http://example.org/wire/%'"));
            Assert.Equal(expectedStories, await connection.ExecuteScalarAsync<long>("SELECT story_count FROM data_version"));
            // Entity counters, kept by concurrent writers, agree with a recount.
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
                SELECT count(*) FROM entities e
                LEFT JOIN (SELECT entity_id, count(*) AS stories, sum(mentions) AS mentions FROM story_entities GROUP BY entity_id) c ON c.entity_id = e.id
                WHERE e.story_count <> coalesce(c.stories, 0) OR e.mention_count <> coalesce(c.mentions, 0)
                """));
            Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM entities WHERE story_count > 0") >= Places.Length);
            // Search through the API node reads what the workers wrote.
            var page = await http.GetFromJsonAsync<StoryPage>("/api/stories?q=kabul&limit=5");
            Assert.Equal(5, page!.Items.Count);

            var stored = workers.Select(w => w.Output.Select(line => StoredLine.Match(line)).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value))).ToList();
            Assert.All(stored, count => Assert.True(count > 0, $"a worker stored nothing: {string.Join(", ", stored)} stories per worker"));
            Assert.Equal(expectedStories, stored.Sum());
            Assert.DoesNotContain(api.Output, line => StoredLine.IsMatch(line)); // the API node runs no jobs
        }
        finally
        {
            foreach (var process in processes) await process.KillAsync();
            foreach (var process in processes) process.Dispose();
        }
    }

    private static readonly Regex StoredLine = new(@"Feed \d+: \d+ items, (\d+) stored", RegexOptions.Compiled);

    private static string Body(int n) =>
        $"Story {n}: {People[n % People.Length]} arrived in {Places[n % Places.Length]} for talks with officials from {Places[(n + 3) % Places.Length]}, " +
        $"the foreign ministry said on Tuesday, adding that the delegations would meet again next week.";

    private static async Task<bool> IsOkAsync(HttpClient http, string path)
    {
        try
        {
            return (await http.GetAsync(path)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, ServiceProcess watched, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            Assert.False(watched.HasExited, $"a process exited while waiting for {what}:\n{string.Join('\n', watched.Output.TakeLast(40))}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(250);
        }
    }

    private static string PubDate(int n) => new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero).AddSeconds(n * 17).ToString("R");

    private sealed record FeedId(long Id);
    private sealed record StoryPage(List<object> Items);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
