using System.Data.Common;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Dapper;
using static Aggregator.Storage.Sql.UnixTime;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Stories in SQL both providers accept; only the full-text search is the provider's own (<see cref="StorySearch"/>).
/// Exactly once under concurrent writers rests on the unique keys (GUID in feed, link, content hash, id) and
/// insert-or-nothing statements, never on a check followed by an insert.
/// </summary>
internal sealed class StoryStore(SqlDatabase database, StorySearch search, StorageOptions options, TimeProvider clock) : IStoryStore
{
    /// <summary>Ids tried for one story when concurrent writers take the same publication millisecond.</summary>
    private const int IdAttempts = 32;

    public async Task<ExistingStory?> FindExistingAsync(long feedId, string guid, string? canonicalLink, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await FindExistingAsync(connection, null, feedId, guid, canonicalLink, contentHash: null);
    }

    private async Task<ExistingStory?> FindExistingAsync(DbConnection connection, DbTransaction? transaction, long feedId, string guid, string? link, string? contentHash)
    {
        var inFeed = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT story_id FROM story_feeds WHERE feed_id = @feedId AND guid = @guid", new { feedId, guid = GuidKey.Of(guid) }, transaction);
        if (inFeed is { } id) return new ExistingStory(id, true);
        // Within a feed the GUID is the identity: the link finds a story this feed does not already carry under
        // another GUID (a podcast listing one episode at a time, each linking to the show's page, is not one story),
        // unless that GUID is this one before the feed began reusing it ("g" for "g <link>", ItemIdentity).
        var other = await connection.QueryFirstOrDefaultAsync<long?>($"""
            SELECT s.id FROM stories s WHERE {database.LinkKeyEquals("s.link_key", "@link")}
                AND NOT EXISTS (SELECT 1 FROM story_feeds sf WHERE sf.story_id = s.id AND sf.feed_id = @feedId
                                AND substr(@guid, 1, length(sf.guid) + 1) <> sf.guid || ' ')
            UNION ALL SELECT id FROM stories WHERE content_hash = @contentHash
            LIMIT 1
            """, new { link, contentHash, feedId, guid = GuidKey.Of(guid) }, transaction);
        return other is { } otherId ? new ExistingStory(otherId, false) : null;
    }

    public async Task LinkAsync(long feedId, string guid, string? itemTitle, long storyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await LinkAsync(connection, null, feedId, guid, itemTitle, storyId);
    }

    private static Task LinkAsync(DbConnection connection, DbTransaction? transaction, long feedId, string guid, string? title, long storyId) =>
        connection.ExecuteAsync("INSERT INTO story_feeds (feed_id, guid, title, story_id) VALUES (@feedId, @guid, @title, @storyId) ON CONFLICT DO NOTHING",
            new { feedId, guid = GuidKey.Of(guid), title, storyId }, transaction);

    public async Task<(long StoryId, SaveResult Result)> SaveAsync(NewStory story, CancellationToken ct = default) =>
        (await SaveManyAsync([story], ct))[0];

    public Task<IReadOnlyList<(long StoryId, SaveResult Result)>> SaveManyAsync(IReadOnlyList<NewStory> stories, CancellationToken ct = default) =>
        InTransactionAsync<IReadOnlyList<(long, SaveResult)>>(async (connection, transaction, entities) =>
        {
            var results = new List<(long, SaveResult)>(stories.Count);
            foreach (var story in stories)
                results.Add(await SaveOneAsync(connection, transaction, entities, story));
            return results;
        }, ct);

    private async Task<(long, SaveResult)> SaveOneAsync(DbConnection connection, DbTransaction transaction, EntityBatch entities, NewStory story)
    {
        var first = StoryIds.First(story.Published);
        var firstSeen = Ms(clock.GetUtcNow());
        for (var attempt = 0; attempt < IdAttempts; attempt++)
        {
            var linkKey = story.LinkIdentifies ? story.Link : null;
            var existing = await FindExistingAsync(connection, transaction, story.FeedId, story.Guid, linkKey, story.ContentHash);
            if (existing is not null)
            {
                if (!existing.InThisFeed) await LinkAsync(connection, transaction, story.FeedId, story.Guid, story.ItemTitle, existing.StoryId);
                return (existing.StoryId, SaveResult.Duplicate);
            }
            var resolved = await entities.ResolveAsync(story.Mentions);
            var entityTerms = EntityTerms.Of(resolved.Ids);
            long id;
            // The next id of the story's millisecond; when all of its ids are taken (a feed dating thousands of items
            // alike), the next millisecond's.
            while ((id = await connection.ExecuteScalarAsync<long>(
                       "SELECT coalesce(max(id) + 1, @first) FROM stories WHERE id >= @first AND id < @first + @span",
                       new { first, span = StoryIds.PerMillisecond }, transaction)) == first + StoryIds.PerMillisecond)
                first += StoryIds.PerMillisecond;
            // Nothing inserted means another writer got there first, with this story (found on the next turn) or
            // with this id (the next turn takes the one after it).
            var stored = await connection.ExecuteScalarAsync<long?>($"""
                INSERT INTO stories (id, title, link, link_key, author, published, first_seen, summary, text, extraction, content_hash, tagger_version, language, tagging, entity_terms)
                VALUES (@id, @Title, @Link, CASE WHEN EXISTS (SELECT 1 FROM stories WHERE {database.LinkKeyEquals("link_key", "@linkKey")}) THEN NULL ELSE @linkKey END, @Author, @Published, @firstSeen, @Summary, @Text, @Extraction, @ContentHash, @TaggerVersion, @Language, @Tagging, @entityTerms)
                ON CONFLICT DO NOTHING RETURNING id
                """,
                new
                {
                    id,
                    story.Title,
                    story.Link,
                    linkKey,
                    story.Author,
                    Published = Ms(story.Published),
                    firstSeen,
                    story.Summary,
                    story.Text,
                    Extraction = story.Extraction.ToString(),
                    story.ContentHash,
                    story.TaggerVersion,
                    story.Language,
                    story.Tagging,
                    entityTerms,
                }, transaction);
            if (stored is null) continue;
            await LinkAsync(connection, transaction, story.FeedId, story.Guid, story.ItemTitle, id);
            await entities.AddMentionsAsync(id, resolved);
            return (id, SaveResult.Stored);
        }
        throw new InvalidOperationException($"Story '{story.Guid}' lost the race for an id {IdAttempts} times.");
    }

    public Task ReplaceTagsAsync(long storyId, StoryTags tags, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction, entities) =>
        {
            // The story_entities triggers take the old mentions out of the counts as the rows go.
            await connection.ExecuteAsync("""
                DELETE FROM story_entities WHERE story_id = @storyId;
                DELETE FROM mentions WHERE story_id = @storyId;
                """, new { storyId }, transaction);
            var resolved = await entities.ResolveAsync(tags.Mentions);
            await connection.ExecuteAsync("""
                UPDATE stories SET tagger_version = @Version, language = @Language, tagging = @Tagging, entity_terms = @entityTerms WHERE id = @storyId
                """, new { storyId, tags.Version, tags.Language, tags.Tagging, entityTerms = EntityTerms.Of(resolved.Ids) }, transaction);
            await entities.AddMentionsAsync(storyId, resolved);
            return true;
        }, ct);

    /// <summary>
    /// Runs the work in one transaction (<see cref="SqlDatabase.InTransactionAsync"/>); what the batch learnt of
    /// entities is remembered once the transaction has committed.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, EntityBatch, Task<T>> work, CancellationToken ct)
    {
        var (result, entities) = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var entities = new EntityBatch(database, connection, transaction);
            return (await work(connection, transaction, entities), entities);
        }, options, ct);
        entities.Committed();
        return result;
    }

    public async Task<IReadOnlyList<StoryToTag>> UntaggedAsync(string? taggerVersion, long afterId, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<(long Id, string Title, string Text, string? Language)>("""
            SELECT id, title, text, language FROM stories
            WHERE id > @afterId AND (@taggerVersion IS NULL OR tagger_version IS NULL OR tagger_version <> @taggerVersion OR tagging IS NULL)
            ORDER BY id LIMIT @limit
            """, new { afterId, taggerVersion, limit })).Select(s => new StoryToTag(s.Id, s.Title, s.Text, StoryIds.Published(s.Id), s.Language)).ToList();
    }

    public async Task<StoryPage> SearchAsync(StoryQuery query, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var offset = query.RanksByRelevance && query.After is { } cursor ? cursor.Position : 0;
        // Polling positions only cover stories stored at least SettleTime ago: a writer that took its first-seen time
        // earlier but commits later (concurrent writers, or a smaller id in the same millisecond) is in by then, so a
        // poller never steps past a story it has not been shown.
        var settledMs = Ms(clock.GetUtcNow() - options.SettleTime);
        var rows = await search.FindAsync(connection, await WithMergedAsync(connection, query), offset, settledMs, ct);
        var page = rows.Take(query.Limit).ToList();
        var feeds = await FeedsOfAsync(connection, page.Select(r => r.id).ToList());
        string? next = null;
        if (rows.Count > query.Limit && query.Since is null)
            next = (query.RanksByRelevance
                ? new StoryCursor(StorySort.Relevance, offset + query.Limit)
                : new StoryCursor(StorySort.Published, page[^1].id)).Encode();
        // The since-token: after the last story returned when polling, else after the newest stored so far.
        var high = query.Since is not null
            ? page.Count > 0 ? new IngestionCursor(page[^1].first_seen, page[^1].id) : query.Since
            : await connection.QuerySingleOrDefaultAsync<HighWater>(
                "SELECT first_seen, id FROM stories WHERE first_seen <= @settledMs ORDER BY first_seen DESC, id DESC LIMIT 1", new { settledMs }) is { } top
                ? new IngestionCursor(top.first_seen, top.id) : new IngestionCursor(0, 0);
        var items = page.Select(r => new StorySummary
        {
            Id = r.id,
            Title = r.title,
            Link = r.link,
            Published = Time(r.published),
            Language = r.language,
            Feeds = feeds.TryGetValue(r.id, out var list) ? list : [],
            Snippet = Snippets.MarkedHtml(r.snippet),
        }).ToList();
        return new StoryPage(items, next, high.Encode());
    }

    /// <summary>
    /// Each entity filter with the entities merged into its entities: stories list the entities their mentions were
    /// stored under, which a merge leaves as they are.
    /// </summary>
    private static async Task<StoryQuery> WithMergedAsync(DbConnection connection, StoryQuery query)
    {
        if (query.EntityFilters.Count == 0) return query;
        var ids = query.EntityFilters.SelectMany(f => f).Distinct().ToList();
        var merged = (await connection.QueryAsync<(long Id, long Into)>(
            $"SELECT id, merged_into FROM entities WHERE merged_into IN ({string.Join(',', ids)})")).ToLookup(e => e.Into, e => e.Id);
        return merged.Count == 0 ? query
            : query with { EntityFilters = query.EntityFilters.Select(f => (IReadOnlyList<long>)f.Concat(f.SelectMany(id => merged[id])).Distinct().ToList()).ToList() };
    }

    public async Task<Story?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<StoryRow>("SELECT id, title, link, author, published, first_seen, summary, text, extraction, tagger_version, language, tagging FROM stories WHERE id = @id", new { id });
        if (row is null) return null;
        var feeds = await FeedsOfAsync(connection, [id]);
        // Each mention under the live entity its entity is or was merged into; those of ignored entities are hidden.
        var mentions = await connection.QueryAsync<MentionRow>("""
            SELECT m.field, m.start, m."end", m.text, r.type, r.name, r.id FROM mentions m
            JOIN entities e ON e.id = m.entity_id JOIN entities r ON r.id = coalesce(e.merged_into, e.id)
            WHERE m.story_id = @id AND NOT r.ignored ORDER BY m.field, m.start
            """, new { id });
        return new Story
        {
            Id = row.id,
            Title = row.title,
            Link = row.link,
            Author = row.author,
            Published = Time(row.published),
            FirstSeen = Time(row.first_seen),
            Summary = row.summary,
            Text = row.text,
            Extraction = Enum.Parse<ExtractionStatus>(row.extraction),
            TaggerVersion = row.tagger_version,
            Language = row.language,
            Tagging = row.tagging,
            Feeds = feeds.TryGetValue(id, out var list) ? list : [],
            Mentions = mentions.Select(m => new StoryMention((StoryField)m.field, (int)m.start, (int)m.end,
                EntityTypes.TryParse(m.type, out var type) ? type : EntityType.Organization, m.text, m.name) { EntityId = m.id }).ToList(),
        };
    }

    private sealed record Probe(StoreCondition Condition, DateTimeOffset At);

    private Probe? _lastProbe;

    public async Task<StoreCondition> ConditionAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (_lastProbe is { } last && now - last.At < options.ProbeInterval) return last.Condition;
        var condition = await ProbeAsync(ct);
        _lastProbe = new Probe(condition, now);
        return condition;
    }

    /// <summary>
    /// Reads the schema, then writes and removes a row larger than a page (random, so nothing compresses it away):
    /// a full disk or size limit shows only when something must be written.
    /// </summary>
    private async Task<StoreCondition> ProbeAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations") == 0) return StoreCondition.Unreachable;
            await connection.ExecuteAsync("INSERT INTO storage_probe (id, filler) VALUES (1, @filler) ON CONFLICT (id) DO UPDATE SET filler = excluded.filler",
                new { filler = System.Security.Cryptography.RandomNumberGenerator.GetBytes(8192) });
            await connection.ExecuteAsync("DELETE FROM storage_probe");
            return StoreCondition.Ready;
        }
        catch (DbException e)
        {
            return StorageErrors.IsFull(e) ? StoreCondition.Full : StoreCondition.Unreachable;
        }
    }

    public async Task<(long Version, DateTimeOffset Changed)> VersionAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<(long Version, long Changed)>("SELECT version, changed_at FROM data_version WHERE id = 1");
        return (row.Version, Time(row.Changed));
    }

    public async Task<Stats> StatsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var hour = 3_600_000L;
        var end = Ms(now) / hour * hour + hour;
        var start = end - 48 * hour;
        await using var connection = await database.OpenAsync(ct);
        var counts = await connection.QuerySingleAsync<(long Stories, long Feeds, long Entities, long Failing)>("""
            SELECT (SELECT story_count FROM data_version WHERE id = 1),
                   (SELECT count(*) FROM feeds WHERE deleted_at IS NULL),
                   (SELECT count(*) FROM entities WHERE story_count > 0 AND NOT ignored),
                   (SELECT count(*) FROM feeds WHERE deleted_at IS NULL AND consecutive_failures > 0)
            """);
        var perHour = (await connection.QueryAsync<(long Bucket, long Count)>("""
            SELECT (first_seen - @start) / @hour AS bucket, count(*) FROM stories WHERE first_seen >= @start AND first_seen < @end GROUP BY bucket
            """, new { start, end, hour })).ToDictionary(r => r.Bucket, r => r.Count);
        return new Stats(counts.Stories, counts.Feeds, counts.Entities, counts.Failing,
            Enumerable.Range(0, 48).Select(b => new HourCount(Time(start + b * hour), perHour.GetValueOrDefault(b))).ToList());
    }

    private static async Task<Dictionary<long, List<FeedRef>>> FeedsOfAsync(DbConnection connection, IReadOnlyCollection<long> storyIds)
    {
        if (storyIds.Count == 0) return [];
        // The ids are numbers, written into the statement: Dapper expands "IN @list" for SQLite but hands Npgsql an array.
        var rows = await connection.QueryAsync<(long StoryId, long FeedId, string Name)>($"""
            SELECT sf.story_id, f.id, f.name FROM story_feeds sf JOIN feeds f ON f.id = sf.feed_id AND f.deleted_at IS NULL
            WHERE sf.story_id IN ({string.Join(',', storyIds)}) ORDER BY sf.story_id, f.id
            """);
        return rows.GroupBy(r => r.StoryId).ToDictionary(g => g.Key, g => g.Select(r => new FeedRef(r.FeedId, r.Name)).DistinctBy(f => f.Id).ToList());
    }

    private sealed record HighWater(long first_seen, long id);

    private sealed record MentionRow(long field, long start, long end, string text, string type, string name, long id);

    private sealed class StoryRow
    {
        public long id { get; set; }
        public string title { get; set; } = "";
        public string? link { get; set; }
        public string? author { get; set; }
        public long published { get; set; }
        public long first_seen { get; set; }
        public string? summary { get; set; }
        public string text { get; set; } = "";
        public string extraction { get; set; } = "";
        public string? tagger_version { get; set; }
        public string? language { get; set; }
        public string? tagging { get; set; }
    }
}
