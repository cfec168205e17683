using System.Data.Common;
using System.Net;
using Aggregator.Core.Model;
using Dapper;

namespace Aggregator.Storage.Sql;

/// <summary>The provider's own part of story search: its full-text index and query language.</summary>
internal abstract class StorySearch
{
    /// <summary>Relevance ranking looks at the newest this-many matches: ranking costs per matching row.</summary>
    protected const int RelevanceCandidates = 5_000;

    /// <summary>
    /// Up to <c>query.Limit + 1</c> rows (one more tells that more follow): newest first, in ingestion order when
    /// polling with <c>Since</c> (then only stories first seen by <paramref name="settledMs"/>), or by relevance from
    /// <paramref name="offset"/>. Snippets carry <see cref="Snippets.MarkStart"/>/<see cref="Snippets.MarkEnd"/> around matches.
    /// </summary>
    /// <exception cref="SearchSyntaxException">The database could not run the search.</exception>
    public abstract Task<List<SummaryRow>> FindAsync(DbConnection connection, StoryQuery query, long offset, long settledMs, CancellationToken ct);

    /// <summary>The ids of the stories with mentions stored under any of the entities (by their entity_terms).</summary>
    public abstract Task<List<long>> MentioningAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<long> entityIds);

    /// <summary>The conditions every provider states alike: date range, feed, language, polling position and page position.</summary>
    protected static List<string> CommonFilters(StoryQuery query, string idColumn, bool relevance, long settledMs, DynamicParameters parameters)
    {
        var where = new List<string>();
        if (query.From is { } from) { where.Add($"{idColumn} >= @fromId"); parameters.Add("fromId", StoryIds.First(from)); }
        if (query.To is { } to) { where.Add($"{idColumn} < @toId"); parameters.Add("toId", StoryIds.First(to)); }
        if (query.FeedId is { } feedId)
        {
            where.Add("s.id IN (SELECT story_id FROM story_feeds WHERE feed_id = @feedId)");
            parameters.Add("feedId", feedId);
        }
        if (query.Language is { } language)
        {
            where.Add("s.language = @language");
            parameters.Add("language", language);
        }
        if (query.Since is { } since)
        {
            where.Add("(s.first_seen > @sinceMs OR (s.first_seen = @sinceMs AND s.id > @sinceId)) AND s.first_seen <= @settledMs");
            parameters.Add("sinceMs", since.FirstSeenMs);
            parameters.Add("sinceId", since.StoryId);
            parameters.Add("settledMs", settledMs);
        }
        if (!relevance && query.After is { } after) { where.Add($"{idColumn} < @afterId"); parameters.Add("afterId", after.Position); }
        parameters.Add("limit", query.Limit + 1);
        return where;
    }

    protected static string Where(List<string> conditions) => conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);

    /// <summary>Newest first (by <paramref name="id"/>, the story id by default), or in ingestion order when polling.</summary>
    protected static string Order(StoryQuery query, string table = "s", string? id = null) =>
        query.Since is null ? $"{id ?? table + ".id"} DESC" : $"{table}.first_seen, {table}.id";

    /// <summary>
    /// The title a listed story shows: within one feed's listing, that feed's own title for it (the story's title is
    /// the article page's, or the first feed's); elsewhere the story's.
    /// </summary>
    protected static string ListedTitle(StoryQuery query, string table = "s") => query.FeedId is null
        ? $"{table}.title"
        : $"coalesce((SELECT min(sf.title) FROM story_feeds sf WHERE sf.story_id = {table}.id AND sf.feed_id = @feedId), {table}.title) AS title";

    /// <summary>The snippet of a story listed without search text: the start of its summary, else of its text.</summary>
    protected static string PlainSnippet(string table) => $"substr(coalesce({table}.summary, {table}.text), 1, 240)";
}

internal sealed class SummaryRow
{
    public long id { get; set; }
    public long first_seen { get; set; }
    public string title { get; set; } = "";
    public string? link { get; set; }
    public long published { get; set; }
    public string? language { get; set; }
    public string? snippet { get; set; }
}

internal static class Snippets
{
    /// <summary>Private-use characters mark matches: they survive HTML escaping, unlike tags, and never occur in news text.</summary>
    public const char MarkStart = '\uE000', MarkEnd = '\uE001';

    /// <summary>Escapes the stored text for HTML and only then turns the match markers into &lt;mark&gt;.</summary>
    public static string? MarkedHtml(string? snippet) =>
        snippet is null ? null : WebUtility.HtmlEncode(snippet).Replace(MarkStart.ToString(), "<mark>").Replace(MarkEnd.ToString(), "</mark>");
}

/// <summary>
/// Each story's entity ids as words ("e12 e345") in its search index: entity filters, alone, combined (AND/OR) or with
/// text, become one index match walked newest first, instead of joins that grow with the popularity of an entity.
/// The ids are those its mentions are stored under, which a merge leaves as they are: a filter for an entity looks
/// for it and the entities merged into it.
/// </summary>
internal static class EntityTerms
{
    public static string Of(IEnumerable<long> entityIds) => string.Join(' ', entityIds.Distinct().Order().Select(Term));

    public static string Term(long entityId) => $"e{entityId}";

    /// <summary>The entity ids of an entity_terms value, as <see cref="Of"/> wrote them.</summary>
    public static IEnumerable<long> Ids(string entityTerms) =>
        entityTerms.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(term => long.Parse(term.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture));
}
