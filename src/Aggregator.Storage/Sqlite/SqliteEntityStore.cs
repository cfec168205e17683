using System.Text.Json;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Storage.Sqlite;

public sealed class SqliteEntityStore(SqliteDatabase database) : IEntityStore
{
    public async Task<IReadOnlyList<long>> ResolveAsync(string nameOrAlias, EntityType? type, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // A number is an entity id; anything else a canonical name or alias.
        long? id = long.TryParse(nameOrAlias.Trim(), System.Globalization.NumberStyles.None, null, out var number) ? number : null;
        return (await connection.QueryAsync<long>("""
            SELECT e.id FROM entities e WHERE e.id = @id AND (@type IS NULL OR e.type = @type)
            UNION
            SELECT e.id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
            WHERE @id IS NULL AND a.alias = @name AND (@type IS NULL OR e.type = @type)
            """, new { id, name = nameOrAlias.Trim(), type = type is { } t ? EntityTypes.ToWire(t) : null })).ToList();
    }

    public async Task<IReadOnlyList<EntitySummary>> ListAsync(EntityQuery query, CancellationToken ct = default)
    {
        var parameters = new
        {
            type = query.Type is { } t ? EntityTypes.ToWire(t) : null,
            prefix = query.Prefix is { Length: > 0 } p ? EscapeLike(p.Trim()) + "%" : null,
            fromId = query.From is { } from ? StoryIds.First(from) : (long?)null,
            toId = query.To is { } to ? StoryIds.First(to) : (long?)null,
            query.Limit,
        };
        const string filters = """
            (@type IS NULL OR e.type = @type)
            AND (@prefix IS NULL OR e.id IN (SELECT entity_id FROM entity_aliases WHERE alias LIKE @prefix ESCAPE '\'))
            """;
        var sql = query.From is null && query.To is null
            ? $"""
              SELECT e.id, e.name, e.type, e.mention_count AS mentions, e.story_count AS stories FROM entities e
              WHERE e.story_count > 0 AND {filters} ORDER BY e.story_count DESC, e.id LIMIT @Limit
              """
            : $"""
              SELECT e.id, e.name, e.type, sum(se.mentions) AS mentions, count(*) AS stories
              FROM story_entities se JOIN entities e ON e.id = se.entity_id
              WHERE (@fromId IS NULL OR se.story_id >= @fromId) AND (@toId IS NULL OR se.story_id < @toId) AND {filters}
              GROUP BY e.id ORDER BY stories DESC, e.id LIMIT @Limit
              """;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Name, string Type, long Mentions, long Stories)>(sql, parameters);
        return rows.Select(r => new EntitySummary(r.Id, r.Name, ParseType(r.Type), r.Mentions, r.Stories)).ToList();
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    public async Task<EntityDetail?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var entity = await connection.QuerySingleOrDefaultAsync<EntityRow>(
            "SELECT id, name, type, mention_count, story_count FROM entities WHERE id = @id", new { id });
        if (entity is null) return null;
        var aliases = (await connection.QueryAsync<string>("SELECT alias FROM entity_aliases WHERE entity_id = @id ORDER BY alias", new { id })).ToList();
        // Story ids encode publication time, so the first and last story ids are the first and last appearances.
        var first = await connection.ExecuteScalarAsync<long?>("SELECT story_id FROM story_entities WHERE entity_id = @id ORDER BY story_id LIMIT 1", new { id });
        var last = await connection.ExecuteScalarAsync<long?>("SELECT story_id FROM story_entities WHERE entity_id = @id ORDER BY story_id DESC LIMIT 1", new { id });
        return new EntityDetail(entity.id, entity.name, ParseType(entity.type), aliases, entity.mention_count, entity.story_count,
            first is { } f ? StoryIds.Published(f) : null, last is { } l ? StoryIds.Published(l) : null);
    }

    public async Task<IReadOnlyList<SeriesPoint>> SeriesAsync(long id, DateTimeOffset from, DateTimeOffset to, SeriesInterval interval, CancellationToken ct = default)
    {
        var bucketMs = interval == SeriesInterval.Hour ? 3_600_000L : 86_400_000L;
        var start = from.ToUnixTimeMilliseconds() / bucketMs * bucketMs;
        var (fromId, toId) = (StoryIds.First(from), StoryIds.First(to));
        // Whole hours come from the hourly counts; the part-hours at either end of the range from the entity's stories.
        var firstHour = (fromId + StoryIds.PerHour - 1) / StoryIds.PerHour;
        var endHour = toId / StoryIds.PerHour;
        var headEnd = Math.Min(toId, firstHour * StoryIds.PerHour);
        var tailStart = Math.Max(headEnd, endHour * StoryIds.PerHour);
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<(long Bucket, long Mentions, long Stories)>("""
            SELECT (story_id / @perMs - @start) / @bucketMs AS bucket, sum(mentions), sum(stories) FROM (
                SELECT hour * @perHour AS story_id, mentions, stories FROM entity_hours WHERE entity_id = @id AND hour >= @firstHour AND hour < @endHour
                UNION ALL
                SELECT story_id, mentions, 1 FROM story_entities WHERE entity_id = @id AND story_id >= @fromId AND story_id < @headEnd
                UNION ALL
                SELECT story_id, mentions, 1 FROM story_entities WHERE entity_id = @id AND story_id >= @tailStart AND story_id < @toId)
            GROUP BY bucket
            """, new { id, perMs = StoryIds.PerMillisecond, perHour = StoryIds.PerHour, start, bucketMs, firstHour, endHour, fromId, headEnd, tailStart, toId }))
            .ToDictionary(r => r.Bucket);
        var buckets = (int)((to.ToUnixTimeMilliseconds() - start + bucketMs - 1) / bucketMs);
        return Enumerable.Range(0, buckets).Select(b => rows.TryGetValue(b, out var r)
                ? new SeriesPoint(DateTimeOffset.FromUnixTimeMilliseconds(start + b * bucketMs), r.Mentions, r.Stories)
                : new SeriesPoint(DateTimeOffset.FromUnixTimeMilliseconds(start + b * bucketMs), 0, 0))
            .ToList();
    }

    /// <summary>Co-occurrences are counted over at most this many of the entity's newest stories in the range: a
    /// popular entity's whole history would cost a join of millions of rows, and recent company is what analysts ask.</summary>
    private const int CooccurrenceSample = 5_000;

    public async Task<IReadOnlyList<Cooccurrence>> CooccurrencesAsync(long id, EntityType? type, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken ct = default)
    {
        var fromId = from is { } f ? StoryIds.First(f) : 0;
        var toId = to is { } u ? StoryIds.First(u) : long.MaxValue;
        await using var connection = await database.OpenAsync(ct);
        // The window: the entity's newest stories in the range, at most CooccurrenceSample of them. Each story's entity
        // list comes from the narrow index on (id, entity_terms), one row per story, and is counted here: a join per
        // entity pair would make a popular entity's window tens of thousands of rows to group.
        var together = new Dictionary<long, long>();
        var (windowStories, oldest) = (0, 0L);
        await using (var reader = await connection.ExecuteReaderAsync("""
            SELECT s.id, s.entity_terms
            FROM story_entities se JOIN stories s INDEXED BY stories_entity_terms ON s.id = se.story_id
            WHERE se.entity_id = @id AND se.story_id >= @fromId AND se.story_id < @toId
            ORDER BY se.story_id DESC LIMIT @sample
            """, new { id, fromId, toId, sample = CooccurrenceSample }))
        {
            while (await reader.ReadAsync(ct))
            {
                (windowStories, oldest) = (windowStories + 1, reader.GetInt64(0));
                foreach (var other in Fts5Query.EntityIds(reader.GetString(1)).Where(other => other != id))
                    together[other] = together.GetValueOrDefault(other) + 1;
            }
        }
        if (together.Count == 0) return [];
        var rows = (await connection.QueryAsync<(long Id, string Name, string Type, long Together, long Other)>("""
            SELECT e.id, e.name, e.type, c.value ->> 1 AS together, e.story_count
            FROM json_each(@counts) c JOIN entities e ON e.id = c.value ->> 0
            WHERE @type IS NULL OR e.type = @type
            ORDER BY together DESC, e.id LIMIT @limit
            """, new { counts = JsonSerializer.Serialize(together.Select(p => new[] { p.Key, p.Value })), type = type is { } t ? EntityTypes.ToWire(t) : null, limit }))
            .ToList();
        if (rows.Count == 0) return [];
        // Lift over the stories of the window: P(a,b) / (P(a) P(b)). The other entity's share of stories is taken from
        // its whole history (its counter), scaled to the window, which avoids a count per candidate.
        var allStories = await connection.ExecuteScalarAsync<long>("SELECT story_count FROM data_version WHERE id = 1");
        var windowStart = windowStories == CooccurrenceSample ? oldest : fromId;
        var total = windowStories < CooccurrenceSample && from is null && to is null ? allStories
            : await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM stories WHERE id >= @windowStart AND id < @toId", new { windowStart, toId });
        return rows.Select(r =>
        {
            var otherInWindow = Math.Max(1.0, r.Other * (double)total / Math.Max(1, allStories));
            var lift = r.Together * (double)total / (windowStories * otherInWindow);
            return new Cooccurrence(r.Id, r.Name, ParseType(r.Type), r.Together, Math.Round(lift, 3), Math.Round(Math.Log2(lift), 3));
        }).ToList();
    }

    public async Task<IReadOnlyList<Trend>> TrendsAsync(DateTimeOffset now, TimeSpan window, TimeSpan baseline, EntityType? type, int limit, CancellationToken ct = default)
    {
        var windowStart = now - window;
        var baselineStart = windowStart - baseline;
        var parameters = new
        {
            type = type is { } t ? EntityTypes.ToWire(t) : null,
            windowId = StoryIds.First(windowStart),
            nowId = StoryIds.First(now),
            baselineId = StoryIds.First(baselineStart),
            candidates = Math.Max(200, limit * 10),
        };
        await using var connection = await database.OpenAsync(ct);
        // Window counts first (the last hours are a small slice of the index), then the baseline only for the
        // most mentioned candidates: an entity outside them cannot have the window count a high score needs.
        var candidates = (await connection.QueryAsync<(long Id, string Name, string Type, long Count)>("""
            SELECT e.id, e.name, e.type, w.n FROM (
                SELECT entity_id, count(*) AS n FROM story_entities WHERE story_id >= @windowId AND story_id < @nowId
                GROUP BY entity_id ORDER BY n DESC LIMIT @candidates) w
            JOIN entities e ON e.id = w.entity_id
            WHERE (@type IS NULL OR e.type = @type) AND w.n >= 3
            """, parameters)).ToList();
        var periods = baseline / window;
        var scored = new List<(long Id, string Name, string Type, long Count, double Rate, double Score)>();
        foreach (var candidate in candidates)
        {
            var before = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM story_entities WHERE entity_id = @id AND story_id >= @baselineId AND story_id < @windowId",
                new { id = candidate.Id, parameters.baselineId, parameters.windowId });
            var rate = before / periods;
            scored.Add((candidate.Id, candidate.Name, candidate.Type, candidate.Count, rate, (candidate.Count - rate) / Math.Sqrt(rate + 1)));
        }
        var trends = new List<Trend>();
        foreach (var trend in scored.Where(s => s.Score > 0).OrderByDescending(s => s.Score).ThenBy(s => s.Id).Take(limit))
        {
            var evidence = await connection.QueryAsync<(long Id, string Title, long Published)>("""
                SELECT s.id, s.title, s.published FROM story_entities se JOIN stories s ON s.id = se.story_id
                WHERE se.entity_id = @id AND se.story_id >= @windowId AND se.story_id < @nowId ORDER BY se.story_id DESC LIMIT 3
                """, new { id = trend.Id, parameters.windowId, parameters.nowId });
            trends.Add(new Trend(trend.Id, trend.Name, ParseType(trend.Type), Math.Round(trend.Score, 3), trend.Count, Math.Round(trend.Rate, 3),
                evidence.Select(e => new TrendEvidence(e.Id, e.Title, DateTimeOffset.FromUnixTimeMilliseconds(e.Published))).ToList()));
        }
        return trends;
    }

    private sealed record EntityRow(long id, string name, string type, long mention_count, long story_count);

    private static EntityType ParseType(string type) => EntityTypes.TryParse(type, out var parsed) ? parsed : EntityType.Organization;
}
