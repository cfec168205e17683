using System.Text;
using Aggregator.Core.Model;
using Aggregator.Tests.Support;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace Aggregator.Tests;

/// <summary>The real service as a child process, killed mid-ingestion; and readers hammering the store while it writes.</summary>
public sealed class CrashSafetyTests
{
    private const int ItemCount = 300;

    [Fact]
    public async Task Killed_mid_ingestion_then_restarted_takes_over_the_dead_lease_and_stores_every_item_exactly_once()
    {
        await using var server = await LocalServer.StartAsync();
        var items = Enumerable.Range(0, ItemCount)
            .Select(n => new Fixtures.Item($"item-{n}", $"Story number {n}", server.Url($"/a/{n}"), $"Summary of story {n}."))
            .ToArray();
        server.MapContent("/feed", Fixtures.Rss("Slow", items));
        for (var n = 0; n < ItemCount; n++)
        {
            var page = Fixtures.ArticlePage($"Story number {n}", $"Reporters in Nairobi filed story {n} about the election count in Mombasa and Kisumu.");
            server.Map($"/a/{n}", async context =>
            {
                await Task.Delay(40); // slow article pages keep the poll running long enough to kill it halfway
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync(page);
            });
        }
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "aggregator.db");
        // The default interval and lease: only taking over the dead process's lease at start-up resumes the poll at once
        // (otherwise the lease blocks the restart's catch-up, and the next firing is up to 15 minutes away).
        File.WriteAllText(Path.Combine(directory, "feeds.json"), $$"""[{ "name": "Slow", "url": "{{server.Url("/feed")}}" }]""");
        var environment = new Dictionary<string, string>
        {
            ["Storage__Sqlite__Path"] = database,
            ["Feeds__SeedFile"] = Path.Combine(directory, "feeds.json"),
            ["Fetching__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Ingestion__MaxItemsPerPoll"] = "1000",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };

        int storedAtKill;
        using (var first = ServiceProcess.Start(environment))
        {
            storedAtKill = await WaitForAsync(database, n => n >= ItemCount / 5, TimeSpan.FromSeconds(90), first);
            await first.KillAsync();
        }
        Assert.InRange(storedAtKill, ItemCount / 5, ItemCount - 1);

        using var second = ServiceProcess.Start(environment);
        try
        {
            await WaitForAsync(database, n => n == ItemCount, TimeSpan.FromSeconds(120), second);
            await using var connection = Open(database);
            Assert.Equal(ItemCount, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM stories"));
            Assert.Equal(ItemCount, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM story_feeds"));
            Assert.Equal(ItemCount, await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT guid) FROM story_feeds"));
            Assert.Equal(ItemCount, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM stories_fts WHERE stories_fts MATCH 'nairobi'"));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await connection.ExecuteScalarAsync<long?>("SELECT last_success_at FROM feeds") is null && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            Assert.NotNull(await connection.ExecuteScalarAsync<long?>("SELECT last_success_at FROM feeds")); // polling resumed and completed
        }
        finally
        {
            await second.KillAsync();
        }
    }

    [Fact]
    public async Task Markup_nested_100000_deep_in_a_feed_title_an_item_or_an_article_page_leaves_the_service_up()
    {
        await using var server = await LocalServer.StartAsync();
        var deep = string.Concat(Enumerable.Repeat("<span>", 100_000));
        var page = Fixtures.ArticlePage("Deep page", deep + "Envoys met in Doha.");
        server.MapContent("/deep-page", page, "text/html");
        server.MapContent("/title", Fixtures.Rss($"<![CDATA[{deep}Deep title]]>", new Fixtures.Item("t1", "Plain item", "http://example.org/t1", "Plain text.")));
        server.MapContent("/item", Fixtures.Rss("Plain feed", new Fixtures.Item("i1", "Deep item", "http://example.org/i1", deep + "Deep summary.")));
        server.MapContent("/page", Fixtures.Rss("Plain feed", new Fixtures.Item("p1", "Deep page", server.Url("/deep-page"), "The feed's summary.")));
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "aggregator.db");
        File.WriteAllText(Path.Combine(directory, "feeds.json"),
            "[" + string.Join(",", new[] { "/title", "/item", "/page" }.Select(path => $$"""{ "name": "{{path}}", "url": "{{server.Url(path)}}" }""")) + "]");
        var environment = new Dictionary<string, string>
        {
            ["Storage__Sqlite__Path"] = database,
            ["Feeds__SeedFile"] = Path.Combine(directory, "feeds.json"),
            ["Fetching__AllowedNetworks__0"] = "127.0.0.0/8",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };

        using var service = ServiceProcess.Start(environment);
        try
        {
            await WaitForAsync(database, n => n == 3, TimeSpan.FromSeconds(90), service);
            await using var connection = Open(database);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL") < 3 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.False(service.HasExited, string.Join("\n", service.Output.TakeLast(20)));
            Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL"));
            Assert.Equal(["Deep summary.", "Plain text.", "The feed's summary."],
                (await connection.QueryAsync<string>("SELECT text FROM stories ORDER BY text")).ToList());
        }
        finally
        {
            await service.KillAsync();
        }
    }

    [Fact]
    public async Task Readers_never_see_a_locked_database_while_a_writer_ingests()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new()
        {
            ["Ingestion:FetchArticles"] = "false", ["Ingestion:MaxItemsPerPoll"] = "1000", ["Fetching:Timeout"] = "00:01:00",
        });
        var items = Enumerable.Range(0, 600).Select(n => new Fixtures.Item($"r-{n}", $"Reader test {n}", $"http://example.org/r/{n}",
            $"Story {n} from Kabul about talks in Doha and Tashkent, with a long enough body to index. {new string('x', n % 50)}")).ToArray();
        server.MapContent("/feed", Fixtures.Rss("Busy", items));
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        using var stop = new CancellationTokenSource();
        var reads = 0;
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await pipeline.Stories.SearchAsync(new StoryQuery { Text = SearchExpression.Parse("kabul doha") });
                await pipeline.Feeds.ListAsync();
                Interlocked.Increment(ref reads);
                await Task.Yield();
            }
        })).ToList();
        var report = await pipeline.PollAsync(feed);
        await stop.CancelAsync();
        await Task.WhenAll(readers); // a "database is locked" in any reader fails the test here

        Assert.Empty(report.Errors);
        Assert.Equal(600, report.Stored);
        Assert.True(reads > 10, $"only {reads} reads ran during ingestion");
    }

    private static async Task<int> WaitForAsync(string database, Func<int, bool> done, TimeSpan timeout, ServiceProcess service)
    {
        var deadline = DateTime.UtcNow + timeout;
        var count = 0;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(service.HasExited, "the service exited on its own");
            if (File.Exists(database))
            {
                try
                {
                    await using var connection = Open(database);
                    count = (int)await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM stories");
                    if (done(count)) return count;
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 1) { } // schema not migrated yet
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{count} stories after {timeout}");
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
