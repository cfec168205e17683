using System.Text.Json;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Dapper;
using static Aggregator.Storage.Sql.UnixTime;

namespace Aggregator.Storage.Sql;

internal sealed class FeedStore(SqlDatabase database, StorageOptions options, TimeProvider clock) : IFeedStore
{
    private const string SelectFeeds = """
        SELECT f.*, (SELECT count(*) FROM story_feeds sf WHERE sf.feed_id = f.id) AS story_count
        FROM feeds f WHERE f.deleted_at IS NULL
        """;

    public async Task<IReadOnlyList<Feed>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<FeedRow>(SelectFeeds + " ORDER BY f.id");
        return rows.Select(r => r.ToFeed()).ToList();
    }

    public async Task<Feed?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<FeedRow>(SelectFeeds + " AND f.id = @id", new { id });
        return row?.ToFeed();
    }

    public async Task<(Feed Feed, bool Created)> AddAsync(FeedDefinition definition, bool reviveDeleted, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // Insert-or-nothing, not look-then-insert: nodes seeding the same feeds at once must not collide.
        var id = await connection.ExecuteScalarAsync<long?>("""
            INSERT INTO feeds (url, name, interval_minutes, tags, created_at)
            VALUES (@Url, @Name, @Interval, @Tags, @Now)
            ON CONFLICT (url) DO NOTHING RETURNING id
            """,
            new
            {
                definition.Url,
                Name = definition.Name ?? definition.Url,
                Interval = (long)(definition.IntervalMinutes ?? FeedDefaults.IntervalMinutes),
                Tags = JsonSerializer.Serialize(definition.Tags ?? []),
                Now = Ms(clock.GetUtcNow()),
            });
        var created = id is not null;
        if (id is null)
        {
            id = await connection.ExecuteScalarAsync<long>("SELECT id FROM feeds WHERE url = @Url", new { definition.Url });
            created = reviveDeleted && await connection.ExecuteAsync(
                "UPDATE feeds SET deleted_at = NULL, enabled = TRUE WHERE id = @id AND deleted_at IS NOT NULL", new { id }) > 0;
        }
        var feed = await connection.QuerySingleAsync<FeedRow>(
            "SELECT f.*, (SELECT count(*) FROM story_feeds sf WHERE sf.feed_id = f.id) AS story_count FROM feeds f WHERE f.id = @id", new { id });
        return (feed.ToFeed(), created);
    }

    public async Task<Feed?> UpdateAsync(long id, FeedPatch patch, CancellationToken ct = default)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            var changed = await connection.ExecuteAsync("""
                UPDATE feeds SET
                    name = coalesce(@Name, name),
                    interval_minutes = coalesce(@IntervalMinutes, interval_minutes),
                    enabled = coalesce(@Enabled, enabled),
                    tags = coalesce(@Tags, tags)
                WHERE id = @id AND deleted_at IS NULL
                """, new { id, patch.Name, patch.IntervalMinutes, patch.Enabled, Tags = patch.Tags is null ? null : JsonSerializer.Serialize(patch.Tags) });
            if (changed == 0) return null;
        }
        return await GetAsync(id, ct);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync("UPDATE feeds SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL",
            new { id, now = Ms(clock.GetUtcNow()) }) > 0;
    }

    public async Task<bool> TryLeaseAsync(long id, string owner, TimeSpan duration, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync("""
            UPDATE feeds SET lease_until = @until, lease_owner = @owner
            WHERE id = @id AND (lease_until IS NULL OR lease_until < @now)
            """, new { id, owner, now = Ms(now), until = Ms(now + duration) }) > 0;
    }

    public async Task<bool> RenewLeaseAsync(long id, string owner, TimeSpan duration, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync("UPDATE feeds SET lease_until = @until WHERE id = @id AND lease_owner = @owner",
            new { id, owner, until = Ms(clock.GetUtcNow() + duration) }) > 0;
    }

    public async Task ReleaseLeaseAsync(long id, string owner, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE feeds SET lease_until = NULL, lease_owner = NULL WHERE id = @id AND lease_owner = @owner", new { id, owner });
    }

    public async Task<IReadOnlyList<(long FeedId, string Owner)>> LeasesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<(long, string)>(
            "SELECT id, lease_owner FROM feeds WHERE lease_owner IS NOT NULL AND lease_until >= @now ORDER BY id",
            new { now = Ms(clock.GetUtcNow()) })).ToList();
    }

    /// <remarks>Retried through transient errors: a poll's outcome must not be lost to a busy moment.</remarks>
    public Task RecordHealthAsync(long id, FeedHealth health, CancellationToken ct = default) => database.RetryTransientAsync(async () =>
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync("""
            UPDATE feeds SET last_attempt_at = @LastAttemptAt, last_success_at = @LastSuccessAt, last_status = @LastStatus,
                last_error = @LastError, consecutive_failures = @ConsecutiveFailures, not_before = @NotBefore,
                etag = @ETag, last_modified = @LastModified, format = @Format
            WHERE id = @id
            """,
            new
            {
                id,
                LastAttemptAt = Ms(health.LastAttemptAt),
                LastSuccessAt = Ms(health.LastSuccessAt),
                health.LastStatus,
                health.LastError,
                health.ConsecutiveFailures,
                NotBefore = Ms(health.NotBefore),
                health.ETag,
                health.LastModified,
                health.Format,
            });
    }, options, ct);

    private sealed class FeedRow
    {
        public long id { get; set; }
        public string url { get; set; } = "";
        public string name { get; set; } = "";
        public long interval_minutes { get; set; }
        public bool enabled { get; set; }
        public string tags { get; set; } = "[]";
        public long created_at { get; set; }
        public long? last_attempt_at { get; set; }
        public long? last_success_at { get; set; }
        public long? last_status { get; set; }
        public string? last_error { get; set; }
        public long consecutive_failures { get; set; }
        public long? not_before { get; set; }
        public string? etag { get; set; }
        public string? last_modified { get; set; }
        public string? format { get; set; }
        public long story_count { get; set; }

        public Feed ToFeed() => new()
        {
            Id = id,
            Url = url,
            Name = name,
            IntervalMinutes = (int)interval_minutes,
            Enabled = enabled,
            Tags = JsonSerializer.Deserialize<List<string>>(tags) ?? [],
            CreatedAt = Time(created_at),
            StoryCount = story_count,
            Health = new FeedHealth
            {
                LastAttemptAt = Time(last_attempt_at),
                LastSuccessAt = Time(last_success_at),
                LastStatus = (int?)last_status,
                LastError = last_error,
                ConsecutiveFailures = (int)consecutive_failures,
                NotBefore = Time(not_before),
                ETag = etag,
                LastModified = last_modified,
                Format = format,
            },
        };
    }
}
