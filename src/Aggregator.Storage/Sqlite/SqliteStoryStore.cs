using System.Data.Common;
using System.Net;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Dapper;
using Microsoft.Data.Sqlite;
using static Aggregator.Storage.Sqlite.UnixTime;

namespace Aggregator.Storage.Sqlite;

public sealed class SqliteStoryStore(SqliteDatabase database, TimeProvider clock) : IStoryStore
{
    /// <summary>Relevance ranking looks at the newest this-many matches: bm25 costs per matching row.</summary>
    private const int RelevanceCandidates = 5_000;
    private const char MarkStart = '\uE000', MarkEnd = '\uE001';
    /// <summary>bm25 weights: a match in the title counts four times one in the text; entity ids do not rank.</summary>
    private const string Weights = "4.0, 1.0, 0.0"; // title, text, entity_terms

    public async Task<ExistingStory?> FindExistingAsync(long feedId, string guid, string? canonicalLink, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await FindExistingAsync(connection, null, feedId, guid, canonicalLink, contentHash: null);
    }

    private static async Task<ExistingStory?> FindExistingAsync(DbConnection connection, DbTransaction? transaction, long feedId, string guid, string? link, string? contentHash)
    {
        var inFeed = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT story_id FROM story_feeds WHERE feed_id = @feedId AND guid = @guid", new { feedId, guid }, transaction);
        if (inFeed is { } id) return new ExistingStory(id, true);
        var other = await connection.QueryFirstOrDefaultAsync<long?>("""
            SELECT id FROM stories WHERE link = @link
            UNION ALL SELECT id FROM stories WHERE content_hash = @contentHash
            LIMIT 1
            """, new { link, contentHash }, transaction);
        return other is { } otherId ? new ExistingStory(otherId, false) : null;
    }

    public async Task LinkAsync(long feedId, string guid, long storyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("INSERT OR IGNORE INTO story_feeds (feed_id, guid, story_id) VALUES (@feedId, @guid, @storyId)",
            new { feedId, guid, storyId });
    }

    public async Task<(long StoryId, SaveResult Result)> SaveAsync(NewStory story, CancellationToken ct = default) =>
        (await SaveManyAsync([story], ct))[0];

    public async Task<IReadOnlyList<(long StoryId, SaveResult Result)>> SaveManyAsync(IReadOnlyList<NewStory> stories, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // BEGIN IMMEDIATE: take the write lock before reading, so the duplicate checks and the inserts are one step.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var results = new List<(long, SaveResult)>(stories.Count);
        var entities = new EntityBatch(connection, transaction);
        foreach (var story in stories)
            results.Add(await SaveOneAsync(connection, transaction, entities, story));
        await entities.ApplyCountsAsync();
        await transaction.CommitAsync(ct);
        return results;
    }

    private async Task<(long, SaveResult)> SaveOneAsync(SqliteConnection connection, SqliteTransaction transaction, EntityBatch entities, NewStory story)
    {
        var existing = await FindExistingAsync(connection, transaction, story.FeedId, story.Guid, story.Link, story.ContentHash);
        if (existing is not null)
        {
            if (!existing.InThisFeed)
                await connection.ExecuteAsync("INSERT OR IGNORE INTO story_feeds (feed_id, guid, story_id) VALUES (@FeedId, @Guid, @StoryId)",
                    new { story.FeedId, story.Guid, existing.StoryId }, transaction);
            return (existing.StoryId, SaveResult.Duplicate);
        }
        var entityTerms = Fts5Query.EntityTerms(await entities.ResolveAsync(story.Mentions));
        var first = StoryIds.First(story.Published);
        var id = await connection.ExecuteScalarAsync<long>(
            "SELECT coalesce(max(id) + 1, @first) FROM stories WHERE id >= @first AND id < @first + @span",
            new { first, span = StoryIds.PerMillisecond }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO stories (id, title, link, author, published, first_seen, summary, text, extraction, content_hash, tagger_version, entity_terms)
            VALUES (@id, @Title, @Link, @Author, @Published, @FirstSeen, @Summary, @Text, @Extraction, @ContentHash, @TaggerVersion, @entityTerms);
            INSERT INTO story_feeds (feed_id, guid, story_id) VALUES (@FeedId, @Guid, @id);
            """,
            new
            {
                id,
                story.Title,
                story.Link,
                story.Author,
                Published = Ms(story.Published),
                FirstSeen = Ms(clock.GetUtcNow()),
                story.Summary,
                story.Text,
                Extraction = story.Extraction.ToString(),
                story.ContentHash,
                story.TaggerVersion,
                story.FeedId,
                story.Guid,
                entityTerms,
            }, transaction);
        await entities.AddMentionsAsync(id, story.Mentions);
        return (id, SaveResult.Stored);
    }

    public async Task ReplaceTagsAsync(long storyId, IReadOnlyList<StoryMention> mentions, string taggerVersion, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Take the story's old mentions out of the entity counts and hourly counts before they go.
        await connection.ExecuteAsync("""
            UPDATE entities SET
                mention_count = mention_count - (SELECT se.mentions FROM story_entities se WHERE se.entity_id = entities.id AND se.story_id = @storyId),
                story_count = story_count - 1
            WHERE id IN (SELECT entity_id FROM story_entities WHERE story_id = @storyId);
            UPDATE entity_hours SET mentions = entity_hours.mentions - se.mentions, stories = entity_hours.stories - 1
            FROM story_entities se
            WHERE se.story_id = @storyId AND entity_hours.entity_id = se.entity_id AND entity_hours.hour = @hour;
            DELETE FROM story_entities WHERE story_id = @storyId;
            DELETE FROM mentions WHERE story_id = @storyId;
            """, new { storyId, hour = storyId / StoryIds.PerHour }, transaction);
        var entities = new EntityBatch(connection, transaction);
        var entityTerms = Fts5Query.EntityTerms(await entities.ResolveAsync(mentions));
        await connection.ExecuteAsync("UPDATE stories SET tagger_version = @taggerVersion, entity_terms = @entityTerms WHERE id = @storyId",
            new { storyId, taggerVersion, entityTerms }, transaction);
        await entities.AddMentionsAsync(storyId, mentions);
        await entities.ApplyCountsAsync();
        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<(long Id, string Title, string Text)>> UntaggedAsync(string taggerVersion, long afterId, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<(long, string, string)>("""
            SELECT id, title, text FROM stories
            WHERE id > @afterId AND (tagger_version IS NULL OR tagger_version <> @taggerVersion)
            ORDER BY id LIMIT @limit
            """, new { afterId, taggerVersion, limit })).ToList();
    }

    /// <summary>Entity identity is its type and its canonical name in any case, as the unique index says.</summary>
    internal sealed class EntityKeyComparer : IEqualityComparer<(string Name, EntityType Type)>
    {
        public static readonly EntityKeyComparer Instance = new();
        public bool Equals((string Name, EntityType Type) x, (string Name, EntityType Type) y) =>
            x.Type == y.Type && string.Equals(x.Name, y.Name, StringComparison.OrdinalIgnoreCase);
        public int GetHashCode((string Name, EntityType Type) key) => HashCode.Combine(key.Type, StringComparer.OrdinalIgnoreCase.GetHashCode(key.Name));
    }

    public async Task<StoryPage> SearchAsync(StoryQuery query, CancellationToken ct = default)
    {
        var parameters = new DynamicParameters();
        var where = new List<string>();
        var relevance = query.Sort == StorySort.Relevance && query.Text is not null;
        var match = Fts5Query.Render(query);
        var idColumn = match is null ? "s.id" : "stories_fts.rowid";
        if (query.From is { } from) { where.Add($"{idColumn} >= @fromId"); parameters.Add("fromId", StoryIds.First(from)); }
        if (query.To is { } to) { where.Add($"{idColumn} < @toId"); parameters.Add("toId", StoryIds.First(to)); }
        if (query.FeedId is { } feedId)
        {
            where.Add("s.id IN (SELECT story_id FROM story_feeds WHERE feed_id = @feedId)");
            parameters.Add("feedId", feedId);
        }
        if (query.Since is { } since)
        {
            where.Add("(s.first_seen > @sinceMs OR (s.first_seen = @sinceMs AND s.id > @sinceId))");
            parameters.Add("sinceMs", since.FirstSeenMs);
            parameters.Add("sinceId", since.StoryId);
        }
        if (!relevance && query.After is { } after) { where.Add($"{idColumn} < @afterId"); parameters.Add("afterId", after.Position); }
        var offset = relevance && query.After is { } cursor ? cursor.Position : 0;
        parameters.Add("limit", query.Limit + 1);
        parameters.Add("offset", offset);

        string sql;
        if (match is null)
        {
            var order = query.Since is null ? "s.id DESC" : "s.first_seen, s.id";
            sql = $"""
                SELECT s.id, s.title, s.link, s.published, s.first_seen, substr(coalesce(s.summary, s.text), 1, 240) AS snippet
                FROM stories s {Where(where)} ORDER BY {order} LIMIT @limit
                """;
        }
        else
        {
            where.Insert(0, "stories_fts MATCH @match");
            parameters.Add("match", match);
            var columns = SnippetColumns;
            // CROSS JOIN keeps the FTS index as the outer loop: the other way round, SQLite would probe the full-text
            // match once per story.
            sql = relevance
                ? $"""
                  SELECT rowid FROM (
                      SELECT stories_fts.rowid AS rowid, bm25(stories_fts, {Weights}) AS rank
                      FROM stories_fts CROSS JOIN stories s ON s.id = stories_fts.rowid
                      {Where(where)} ORDER BY stories_fts.rowid DESC LIMIT {RelevanceCandidates})
                  ORDER BY rank, rowid DESC LIMIT @limit OFFSET @offset
                  """
                : $"""
                  SELECT {columns} FROM stories_fts CROSS JOIN stories s ON s.id = stories_fts.rowid
                  {Where(where)} ORDER BY {(query.Since is null ? "stories_fts.rowid DESC" : "s.first_seen, s.id")} LIMIT @limit
                  """;
        }

        await using var connection = await database.OpenAsync(ct);
        List<SummaryRow> rows;
        try
        {
            rows = relevance
                ? await RankedPageAsync(connection, sql, parameters, $"SELECT {SnippetColumns} FROM stories_fts CROSS JOIN stories s ON s.id = stories_fts.rowid WHERE stories_fts MATCH @match AND stories_fts.rowid = @id")
                : (await connection.QueryAsync<SummaryRow>(sql, parameters)).ToList();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            throw new SearchSyntaxException($"The search could not be run: {e.Message}");
        }
        var page = rows.Take(query.Limit).ToList();
        var feeds = await FeedsOfAsync(connection, page.Select(r => r.id));
        string? next = null;
        if (rows.Count > query.Limit && query.Since is null)
            next = (relevance ? new StoryCursor(StorySort.Relevance, offset + query.Limit) : new StoryCursor(StorySort.Published, page[^1].id)).Encode();
        // The since-token: after the last story returned when polling, else after the newest stored so far.
        var high = query.Since is not null
            ? page.Count > 0 ? new IngestionCursor(page[^1].first_seen, page[^1].id) : query.Since
            : await connection.QuerySingleOrDefaultAsync<HighWater>("SELECT first_seen, id FROM stories ORDER BY first_seen DESC, id DESC LIMIT 1") is { } top
                ? new IngestionCursor(top.first_seen, top.id) : new IngestionCursor(0, 0);
        var items = page.Select(r => new StorySummary
        {
            Id = r.id,
            Title = r.title,
            Link = r.link,
            Published = Time(r.published),
            Feeds = feeds.TryGetValue(r.id, out var list) ? list : [],
            Snippet = MarkedHtml(r.snippet),
        }).ToList();
        return new StoryPage(items, next, high.Encode());
    }

    public async Task<Story?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<StoryRow>("SELECT * FROM stories WHERE id = @id", new { id });
        if (row is null) return null;
        var feeds = await FeedsOfAsync(connection, [id]);
        var mentions = await connection.QueryAsync<MentionRow>("""
            SELECT m.field, m.start, m.end, m.text, e.type, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id
            WHERE m.story_id = @id ORDER BY m.field, m.start
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
            Feeds = feeds.TryGetValue(id, out var list) ? list : [],
            Mentions = mentions.Select(m => new StoryMention((StoryField)m.field, (int)m.start, (int)m.end,
                EntityTypes.TryParse(m.type, out var type) ? type : EntityType.Organization, m.text, m.name)).ToList(),
        };
    }

    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations") > 0;
        }
        catch (SqliteException)
        {
            return false;
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
                   (SELECT count(*) FROM entities WHERE story_count > 0),
                   (SELECT count(*) FROM feeds WHERE deleted_at IS NULL AND consecutive_failures > 0)
            """);
        var perHour = (await connection.QueryAsync<(long Bucket, long Count)>("""
            SELECT (first_seen - @start) / @hour AS bucket, count(*) FROM stories WHERE first_seen >= @start AND first_seen < @end GROUP BY bucket
            """, new { start, end, hour })).ToDictionary(r => r.Bucket, r => r.Count);
        return new Stats(counts.Stories, counts.Feeds, counts.Entities, counts.Failing,
            Enumerable.Range(0, 48).Select(b => new HourCount(Time(start + b * hour), perHour.GetValueOrDefault(b))).ToList());
    }

    private static readonly string SnippetColumns =
        $"s.id, s.title, s.link, s.published, s.first_seen, snippet(stories_fts, -1, '{MarkStart}', '{MarkEnd}', '…', 24) AS snippet";

    /// <summary>
    /// Relevance: bm25 alone ranks the candidates (cheap), then each story of the page gets its snippet through the FTS
    /// index's rowid lookup — a snippet costs far more than a rank, and a second MATCH over all rows would cost more still.
    /// </summary>
    private static async Task<List<SummaryRow>> RankedPageAsync(DbConnection connection, string rankSql, DynamicParameters parameters, string snippetSql)
    {
        var ids = (await connection.QueryAsync<long>(rankSql, parameters)).ToList();
        var rows = new List<SummaryRow>(ids.Count);
        foreach (var id in ids)
            rows.Add(await connection.QuerySingleAsync<SummaryRow>(snippetSql, new { match = parameters.Get<string>("match"), id }));
        return rows;
    }

    private static async Task<Dictionary<long, List<FeedRef>>> FeedsOfAsync(DbConnection connection, IEnumerable<long> storyIds)
    {
        var rows = await connection.QueryAsync<(long StoryId, long FeedId, string Name)>("""
            SELECT sf.story_id, f.id, f.name FROM story_feeds sf JOIN feeds f ON f.id = sf.feed_id
            WHERE sf.story_id IN @ids ORDER BY sf.story_id, f.id
            """, new { ids = storyIds.ToArray() });
        return rows.GroupBy(r => r.StoryId).ToDictionary(g => g.Key, g => g.Select(r => new FeedRef(r.FeedId, r.Name)).DistinctBy(f => f.Id).ToList());
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);

    /// <summary>Escapes the stored text for HTML and only then turns the match markers into &lt;mark&gt;.</summary>
    private static string? MarkedHtml(string? snippet) =>
        snippet is null ? null : WebUtility.HtmlEncode(snippet).Replace(MarkStart.ToString(), "<mark>").Replace(MarkEnd.ToString(), "</mark>");

    private sealed record HighWater(long first_seen, long id);

    private sealed class SummaryRow
    {
        public long id { get; set; }
        public long first_seen { get; set; }
        public string title { get; set; } = "";
        public string? link { get; set; }
        public long published { get; set; }
        public string? snippet { get; set; }
    }

    private sealed record MentionRow(long field, long start, long end, string text, string type, string name);

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
    }
}
