using Aggregator.Core.Model;
using Aggregator.Core.Ingestion;
using Aggregator.Nlp;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Stores;

/// <summary>
/// The store contract on PostgreSQL: a database of its own per test on the server AGGREGATOR_TEST_POSTGRES names
/// (.ci/run starts one); skipped, saying why, without it.
/// </summary>
public sealed class PostgresStoreContractTests : StoreContractTests, IClassFixture<PostgresSkipNotice>
{
    private TestDatabase? _database;

    protected override async Task<Dictionary<string, string?>> ProviderSettingsAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        return new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = _database.ConnectionString,
        };
    }

    /// <summary>As during a server restart: every connection to the database is dropped and new ones are refused.</summary>
    protected override async Task<IAsyncDisposable> OutageAsync()
    {
        await _database!.RefuseConnectionsAsync(true);
        await _database.TerminateConnectionsAsync();
        return new Outage(_database);
    }

    /// <summary>Triggers raising disk_full (53100), the server's own error when its disk is full, on every write that needs room.</summary>
    protected override async Task<IAsyncDisposable> FullAsync()
    {
        await _database!.ExecuteAsync("""
            CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
            CREATE TRIGGER full_probe BEFORE INSERT OR UPDATE ON storage_probe FOR EACH ROW EXECUTE FUNCTION disk_full();
            CREATE TRIGGER full_stories BEFORE INSERT OR UPDATE ON stories FOR EACH ROW EXECUTE FUNCTION disk_full();
            """);
        return new SpaceBack(_database);
    }

    private sealed class SpaceBack(TestDatabase database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.ExecuteAsync("DROP FUNCTION disk_full() CASCADE");
    }

    private sealed class Outage(TestDatabase database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.RefuseConnectionsAsync(false);
    }

    /// <summary>A restart between two saves of a poll: the store's pooled connections are dead, and it retries on a new one.</summary>
    [SkippableFact]
    public async Task Connections_dropped_in_the_middle_of_a_poll_are_retried_on_new_ones()
    {
        await using var server = await LocalServer.StartAsync();
        var items = Enumerable.Range(1, 6).Select(n => new Fixtures.Item($"r-{n}", $"Restart story {n}", $"https://news.example.org/restart/{n}", $"Text {n}.")).ToArray();
        server.MapContent("/feed", Fixtures.Rss("Restart", items));
        await using var pipeline = await PipelineWithFaultsAsync(async save =>
        {
            if (save is 2 or 4) await _database!.TerminateConnectionsAsync();
        });
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        var report = await pipeline.PollAsync(feed);

        Assert.Empty(report.Errors);
        Assert.Equal(6, report.Stored);
    }

    protected override async Task CleanupAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
