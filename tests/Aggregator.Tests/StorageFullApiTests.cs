using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Feeds;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

/// <summary>A full disk: readiness says so, the API answers 503 "Storage full", and start-up survives it.</summary>
public sealed class StorageFullApiTests
{
    private static SqliteException DiskFull() => new("SQLite Error 13: 'database or disk is full'.", 13);

    [Fact]
    public async Task Readiness_reports_a_store_that_cannot_be_written()
    {
        await using var api = new ApiFactory(new() { ["Storage:Sqlite:MaxSizeMiB"] = "1", ["Storage:ProbeInterval"] = "00:00:00" });
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var file = new SqliteConnectionStringBuilder { DataSource = Path.Combine(api.Directory, "aggregator.db"), Pooling = false }.ToString();
        await using (var fill = new SqliteConnection(file))
        {
            await fill.OpenAsync();
            await using var command = fill.CreateCommand();
            command.CommandText = "CREATE TABLE filler (b BLOB); INSERT INTO filler VALUES (randomblob(1200000));";
            await command.ExecuteNonQueryAsync();
        }

        var full = await client.GetAsync("/health/ready");
        await using (var free = new SqliteConnection(file))
        {
            await free.OpenAsync();
            await using var command = free.CreateCommand();
            command.CommandText = "DROP TABLE filler";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal("Storage full", (await full.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    private sealed class FullFeedStore(IFeedStore inner) : IFeedStore
    {
        public Task<IReadOnlyList<Feed>> ListAsync(CancellationToken ct = default) => inner.ListAsync(ct);
        public Task<Feed?> GetAsync(long id, CancellationToken ct = default) => inner.GetAsync(id, ct);
        public Task<(Feed Feed, bool Created)> AddAsync(FeedDefinition definition, bool reviveDeleted, CancellationToken ct = default) => throw DiskFull();
        public Task<Feed?> UpdateAsync(long id, FeedPatch patch, CancellationToken ct = default) => throw DiskFull();
        public Task<bool> DeleteAsync(long id, CancellationToken ct = default) => throw DiskFull();
        public Task<bool> TryLeaseAsync(long id, string owner, TimeSpan duration, CancellationToken ct = default) => throw DiskFull();
        public Task<bool> RenewLeaseAsync(long id, string owner, TimeSpan duration, CancellationToken ct = default) => throw DiskFull();
        public Task ReleaseLeaseAsync(long id, string owner, CancellationToken ct = default) => throw DiskFull();
        public Task<IReadOnlyList<(long FeedId, string Owner)>> LeasesAsync(CancellationToken ct = default) => inner.LeasesAsync(ct);
        public Task RecordHealthAsync(long id, FeedHealth health, CancellationToken ct = default) => throw DiskFull();
    }

    [Fact]
    public async Task A_write_on_a_full_disk_answers_503_storage_full()
    {
        await using var api = new ApiFactory();
        using var full = api.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            var registered = services.Last(d => d.ServiceType == typeof(IFeedStore));
            services.Remove(registered);
            services.AddSingleton<IFeedStore>(sp => new FullFeedStore((IFeedStore)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)));
        }));
        var client = full.CreateClient();

        var response = await client.PostAsJsonAsync("/api/feeds", new { url = "https://example.org/rss" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Storage full", problem.GetProperty("title").GetString());
        Assert.Contains("resumes by itself", problem.GetProperty("detail").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    /// <summary>As Hangfire's storage on a full disk: scheduling throws until space returns (here, twice).</summary>
    private sealed class SchedulerOnFullDisk : IFeedScheduler
    {
        private int _failures = 2;
        public List<long> Scheduled { get; } = [];

        public void Schedule(Feed feed)
        {
            if (Interlocked.Decrement(ref _failures) >= 0) throw DiskFull();
            lock (Scheduled) Scheduled.Add(feed.Id);
        }

        public void Unschedule(long feedId) { }
        public void PollNow(long feedId) { }
        public void PollIfDue(long feedId) { }
        public void Resume(long feedId) { }
        public void ScheduleInBackground(IReadOnlyList<long> feedIds) { }
    }

    [Fact]
    public async Task Start_up_survives_a_full_disk_and_schedules_the_feeds_when_space_returns()
    {
        var scheduler = new SchedulerOnFullDisk();
        await using var api = new ApiFactory(new() { ["Feeds:PrepareRetryInterval"] = "00:00:00.100" });
        File.WriteAllText(api.SeedFile, """[{ "name": "Seeded", "url": "https://seeded.example.org/rss" }]""");
        using var started = api.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IFeedScheduler>(scheduler)));
        var client = started.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        for (var attempt = 0; ; attempt++)
        {
            lock (scheduler.Scheduled) if (scheduler.Scheduled.Count == 1) break;
            Assert.True(attempt < 200, "the feeds were never scheduled");
            await Task.Delay(50);
        }
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/feeds")).EnumerateArray());
    }
}
