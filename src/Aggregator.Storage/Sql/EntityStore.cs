using System.Data.Common;
using Aggregator.Core.Entities;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Entities as analysts read them (merged entities answer for their targets; ignored ones stay out of lists, trends
/// and co-occurrences) and edit them (<see cref="EntityEdits"/>, one transaction each).
/// </summary>
internal sealed class EntityStore(SqlDatabase database, EntityEdits edits, StorageOptions options) : IEntityStore
{
    public async Task<IReadOnlyList<long>> ResolveAsync(string nameOrAlias, EntityType? type, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // A number is an entity id (a merged one answers for its target); anything else a canonical name or alias.
        long? id = long.TryParse(nameOrAlias.Trim(), System.Globalization.NumberStyles.None, null, out var number) ? number : null;
        return (await connection.QueryAsync<long>("""
            SELECT r.id FROM entities e JOIN entities r ON r.id = coalesce(e.merged_into, e.id)
            WHERE (e.id = @id OR @id IS NULL AND e.id IN (SELECT entity_id FROM entity_aliases WHERE key = @key))
            AND (@type IS NULL OR r.type = @type)
            """, new { id, key = EntityBatch.KeyOf(nameOrAlias.Trim()), type = type is { } t ? EntityTypes.ToWire(t) : null })).Distinct().ToList();
    }

    public async Task<IReadOnlyList<EntitySummary>> ListAsync(EntityQuery query, CancellationToken ct = default)
    {
        var parameters = new
        {
            type = query.Type is { } t ? EntityTypes.ToWire(t) : null,
            prefix = query.Prefix is { Length: > 0 } p && EntityKey.Of(p) is { Length: > 0 } key ? EscapeLike(key) + "%" : null,
            fromId = query.From is { } from ? StoryIds.First(from) : (long?)null,
            toId = query.To is { } to ? StoryIds.First(to) : (long?)null,
            query.Limit,
        };
        const string filters = """
            NOT e.ignored AND (@type IS NULL OR e.type = @type)
            AND (@prefix IS NULL OR e.id IN (SELECT entity_id FROM entity_aliases WHERE key LIKE @prefix ESCAPE '\'))
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
            "SELECT id, name, type, mention_count, story_count, merged_into, ignored, curated FROM entities WHERE id = @id", new { id });
        if (entity is null) return null;
        var aliases = (await connection.QueryAsync<string>("SELECT alias FROM entity_aliases WHERE entity_id = @id ORDER BY alias", new { id })).ToList();
        // Story ids encode publication time, so the first and last story ids are the first and last appearances.
        var first = await connection.ExecuteScalarAsync<long?>("SELECT story_id FROM story_entities WHERE entity_id = @id ORDER BY story_id LIMIT 1", new { id });
        var last = await connection.ExecuteScalarAsync<long?>("SELECT story_id FROM story_entities WHERE entity_id = @id ORDER BY story_id DESC LIMIT 1", new { id });
        return new EntityDetail(entity.Id, entity.Name, entity.Type, aliases, entity.mention_count, entity.Stories,
            first is { } f ? StoryIds.Published(f) : null, last is { } l ? StoryIds.Published(l) : null)
        {
            MergedInto = entity.merged_into,
            Ignored = entity.ignored,
            Curated = entity.curated,
        };
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
                SELECT story_id, mentions, 1 FROM story_entities WHERE entity_id = @id AND story_id >= @tailStart AND story_id < @toId) AS counts
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
    /// popular entity's whole history would cost millions of rows, and recent company is what analysts ask.</summary>
    private const int CooccurrenceSample = 5_000;

    /// <summary>Partners looked up per round trip while filling the answer (more only when a type filter drops some).</summary>
    private const int PartnerLookup = 500;

    public async Task<IReadOnlyList<Cooccurrence>> CooccurrencesAsync(long id, EntityType? type, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken ct = default)
    {
        var fromId = from is { } f ? StoryIds.First(f) : 0;
        var toId = to is { } u ? StoryIds.First(u) : long.MaxValue;
        await using var connection = await database.OpenAsync(ct);
        // The window: the entity's newest stories in the range, at most CooccurrenceSample of them. Each story's entity
        // list comes from the narrow index on (id, entity_terms), one row per story, and is counted here: a join per
        // entity pair would make a popular entity's window tens of thousands of rows to group.
        // Stories list the entities their mentions are stored under: a merged one counts as the entity it went into.
        var mergedInto = (await connection.QueryAsync<(long Id, long Into)>("SELECT id, merged_into FROM entities WHERE merged_into IS NOT NULL"))
            .ToDictionary(e => e.Id, e => e.Into);
        var together = new Dictionary<long, long>();
        var (windowStories, oldest) = (0, 0L);
        await using (var reader = await connection.ExecuteReaderAsync($"""
            SELECT s.id, s.entity_terms
            FROM story_entities se JOIN {database.StoryEntityLists} ON s.id = se.story_id
            WHERE se.entity_id = @id AND se.story_id >= @fromId AND se.story_id < @toId
            ORDER BY se.story_id DESC LIMIT @sample
            """, new { id, fromId, toId, sample = CooccurrenceSample }))
        {
            while (await reader.ReadAsync(ct))
            {
                (windowStories, oldest) = (windowStories + 1, reader.GetInt64(0));
                foreach (var other in EntityTerms.Ids(reader.GetString(1)).Select(e => mergedInto.GetValueOrDefault(e, e)).Distinct().Where(other => other != id))
                    together[other] = together.GetValueOrDefault(other) + 1;
            }
        }
        if (together.Count == 0) return [];
        // The most shared first; entities are read only for as many as the answer needs.
        var wire = type is { } t ? EntityTypes.ToWire(t) : null;
        var rows = new List<(long Id, string Name, string Type, long Together, long Other)>();
        foreach (var chunk in together.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Chunk(PartnerLookup))
        {
            var partners = (await connection.QueryAsync<(long Id, string Name, string Type, long Other)>($"""
                SELECT id, name, type, story_count FROM entities WHERE id IN ({string.Join(',', chunk.Select(p => p.Key))}) AND NOT ignored AND (@wire IS NULL OR type = @wire)
                """, new { wire })).ToDictionary(e => e.Id);
            rows.AddRange(chunk.Where(p => partners.ContainsKey(p.Key)).Select(p =>
            {
                var e = partners[p.Key];
                return (e.Id, e.Name, e.Type, p.Value, e.Other);
            }));
            if (rows.Count >= limit) break;
        }
        if (rows.Count == 0) return [];
        // Lift over the stories of the window: P(a,b) / (P(a) P(b)). The other entity's share of stories is taken from
        // its whole history (its counter), scaled to the window, which avoids a count per candidate.
        var allStories = await connection.ExecuteScalarAsync<long>("SELECT story_count FROM data_version WHERE id = 1");
        var windowStart = windowStories == CooccurrenceSample ? oldest : fromId;
        var total = windowStories < CooccurrenceSample && from is null && to is null ? allStories
            : await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM stories WHERE id >= @windowStart AND id < @toId", new { windowStart, toId });
        return rows.Take(limit).Select(r =>
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
            WHERE NOT e.ignored AND (@type IS NULL OR e.type = @type) AND w.n >= 3
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

    /// <summary>A class, not a positional record: Dapper converts SQLite's integer flags to bool only for properties.</summary>
    public async Task<EntityDirectoryLoad> DirectoryAsync(DateTimeOffset seenSince, long afterId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // Read first: an entity created while the rest is read is new the next time.
        var changes = await ChangesAsync(connection);
        const string filter = """
            e.merged_into IS NULL AND e.id > @afterId AND e.id <= @LastEntityId
            AND (e.ignored OR e.curated OR e.story_count > 1 OR e.story_count > 0 AND e.last_story_id >= @seenSinceId)
            """;
        var parameters = new { afterId, changes.LastEntityId, seenSinceId = StoryIds.First(seenSince) };
        var aliases = (await connection.QueryAsync<(long EntityId, string Alias)>(
                $"SELECT a.entity_id, a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE {filter}", parameters))
            .ToLookup(a => a.EntityId, a => a.Alias);
        var entities = await connection.QueryAsync<EntityRow>(
            $"SELECT e.id, e.name, e.type, e.story_count, e.last_story_id, e.ignored, e.curated FROM entities e WHERE {filter}", parameters);
        return new EntityDirectoryLoad(entities.Select(e => new DirectoryEntry(e.Id, e.Name, e.Type, aliases[e.id].ToList(), e.Stories,
            StoryIds.Published(e.last_story_id), e.Ignored, e.Curated)).ToList(), changes);
    }

    public async Task<EntityChanges> ChangesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ChangesAsync(connection);
    }

    private static async Task<EntityChanges> ChangesAsync(DbConnection connection)
    {
        var (version, last) = await connection.QuerySingleAsync<(long, long)>(
            "SELECT (SELECT version FROM entity_edit_version WHERE id = 1), (SELECT coalesce(max(id), 0) FROM entities)");
        return new EntityChanges(version, last);
    }

    public Task<EntityEdit> MergeAsync(long id, long into, string actor, CancellationToken ct = default) =>
        EditAsync((connection, transaction) => edits.MergeAsync(connection, transaction, id, into, actor), ct);

    public Task<EntityEdit> UpdateAsync(long id, EntityPatch patch, string actor, CancellationToken ct = default) =>
        EditAsync((connection, transaction) => edits.UpdateAsync(connection, transaction, id, patch, actor), ct);

    public Task<EntityEdit> SplitAsync(long id, string alias, string actor, CancellationToken ct = default) =>
        EditAsync((connection, transaction) => edits.SplitAsync(connection, transaction, id, alias, actor), ct);

    public Task<EntityEdit> UndoAsync(long editId, string actor, CancellationToken ct = default) =>
        EditAsync((connection, transaction) => edits.UndoAsync(connection, transaction, editId, actor), ct);

    public async Task<IReadOnlyList<EntityEdit>> EditsAsync(long? entityId, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await edits.ListAsync(connection, entityId, limit);
    }

    /// <summary>One edit in one transaction; afterwards this process's memory of entities starts again from the edited state.</summary>
    private async Task<EntityEdit> EditAsync(Func<DbConnection, DbTransaction, Task<EntityEdit>> edit, CancellationToken ct)
    {
        var (done, version) = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var made = await edit(connection, transaction);
            return (made, await connection.ExecuteScalarAsync<long>("SELECT version FROM entity_edit_version WHERE id = 1", transaction: transaction));
        }, options, ct);
        database.KnownEntities.Forget(version);
        return done;
    }

    private static EntityType ParseType(string type) => EntityTypes.TryParse(type, out var parsed) ? parsed : EntityType.Organization;
}
