using Aggregator.Api.Security;
using System.Globalization;
using Aggregator.Core.Languages;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Aggregator.Api.Endpoints;

public static class StoriesEndpoints
{
    public static void MapStories(this IEndpointRouteBuilder app)
    {
        var stories = app.MapGroup("/api/stories").WithTags("Stories").AddEndpointFilter<ReadAuthFilter>().ProducesProblem(StatusCodes.Status401Unauthorized);

        stories.MapGet("/", async Task<Results<Ok<StoryPage>, ProblemHttpResult>> (
                string? q, string? feed, string? from, string? to, string? sort, string? limit, string? cursor,
                string[]? entity, string? match, string? type, string? since, string? language,
                IStoryStore store, IEntityStore entities, CancellationToken ct) =>
            {
                try
                {
                    var query = Parse(q, feed, from, to, sort, limit, cursor, language);
                    var kind = EntitiesEndpoints.ParseType(type);
                    var filters = new List<IReadOnlyList<long>>();
                    foreach (var name in (entity ?? []).Where(e => !string.IsNullOrWhiteSpace(e)))
                    {
                        var ids = await entities.ResolveAsync(name, kind, ct);
                        if (ids.Count == 0) return Problems.NotFound($"No entity is named '{name}'{(kind is null ? "" : $" with type {type}")}.");
                        filters.Add(ids);
                    }
                    if (filters.Count == 0 && kind is not null) throw new ArgumentException("type narrows an entity filter: give entity too.");
                    query = query with
                    {
                        EntityFilters = filters,
                        MatchAny = match?.ToLowerInvariant() switch
                        {
                            null or "" or "all" => false,
                            "any" => true,
                            _ => throw new ArgumentException($"match must be 'all' or 'any', not '{match}'."),
                        },
                        Since = string.IsNullOrEmpty(since) ? null : IngestionCursor.Decode(since),
                    };
                    if (query.Since is not null && (query.After is not null || query.Sort == StorySort.Relevance))
                        throw new ArgumentException("since cannot be combined with cursor or sort=relevance.");
                    return TypedResults.Ok(await store.SearchAsync(query, ct));
                }
                catch (Exception e) when (e is SearchSyntaxException or FormatException or ArgumentException)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .AddEndpointFilter<ConditionalGetFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Documented(
                new("q", "Full text: words that must all match, \"a phrase\", word* for a prefix, -word to exclude, OR between alternatives."),
                new("feed", "Only stories of this feed (its id).", JsonSchemaType.Integer, "int64"),
                Parameters.From, Parameters.To,
                new("sort", "published: newest first; relevance: best match first (needs q).", Values: ["published", "relevance"], Default: "published"),
                Parameters.Limit(StoryQuery.MaxLimit, StoryQuery.DefaultLimit),
                new("cursor", "The 'next' of the previous page."),
                new("entity", "An entity id, name or alias (case-insensitive); repeatable."),
                new("match", "With several entity filters: a story mentions all of them, or any one.", Values: ["all", "any"], Default: "all"),
                Parameters.EntityType with { Description = "Narrows the entity filters' names to this type." },
                new("since", "The 'since' of an earlier answer: only the stories stored after it, oldest first."),
                new("language", "Only stories in this language, as detected from their text: an ISO 639-1 code such as en or de.", Pattern: "^[a-zA-Z]{2}$"))
            .WithSummary("Searches stories, newest first or by relevance, a page at a time.")
            .WithDescription("""
                q: full text; words must all match, "a phrase", word* for a prefix, -word to exclude, OR between alternatives.
                feed: a feed id. language: an ISO 639-1 code (e.g. de), the story's language as detected from its text.
                from, to: ISO 8601 dates or times (UTC unless an offset is given); from inclusive, to exclusive.
                sort: published (default, newest first) or relevance (bm25 over the newest 5,000 matches; needs q).
                entity (repeatable): an entity id, name or alias (case-insensitive); a story must mention every one (match=all,
                the default) or any one (match=any). type: PERSON, LOCATION or ORGANIZATION narrows the names.
                since: the 'since' token of an earlier answer; returns only stories stored after it, oldest first, with a new token.
                limit: 1-100, default 20. cursor: the 'next' value of the previous page; pages stay stable while stories arrive.
                Each result has its language (ISO 639-1, null when unknown) and a snippet: HTML-escaped text with <mark> around the matched words.
                """);

        stories.MapGet("/{id:long}", async Task<Results<Ok<Story>, ProblemHttpResult>> (long id, IStoryStore store, CancellationToken ct) =>
                await store.GetAsync(id, ct) is { } story ? TypedResults.Ok(story) : Problems.NotFound($"There is no story {id}."))
            .AddEndpointFilter<ConditionalGetFilter>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Documented(Parameters.Id("story"))
            .WithSummary("One whole story: text, summary, feeds, extraction status, and its entity mentions with offsets into the title or text.")
            .WithDescription("""
                language: ISO 639-1 code detected from the text (the feed's declared language decides only when the text is too
                short to tell); null when unknown. tagging: "tagged", or why not, e.g. "skipped: language de" (only English is
                tagged; such a story is stored and searchable, with no mentions); null for a story stored before languages were
                detected, until `aggregator retag`.
                """);
    }

    /// <exception cref="ArgumentException">A parameter is out of range or malformed; the message names it.</exception>
    public static StoryQuery Parse(string? q, string? feed, string? from, string? to, string? sort, string? limit, string? cursor, string? language)
    {
        var text = string.IsNullOrWhiteSpace(q) ? null : SearchExpression.Parse(q);
        var order = sort?.ToLowerInvariant() switch
        {
            null or "" or "published" => StorySort.Published,
            "relevance" => StorySort.Relevance,
            _ => throw new ArgumentException($"sort must be 'published' or 'relevance', not '{sort}'."),
        };
        if (order == StorySort.Relevance && text is null) throw new ArgumentException("sort=relevance needs a search text in q.");
        var size = QueryParameters.Limit(limit, StoryQuery.DefaultLimit, StoryQuery.MaxLimit);
        long? feedId = null;
        if (!string.IsNullOrEmpty(feed))
            feedId = long.TryParse(feed, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new ArgumentException("feed must be a feed id (a number).");
        var after = string.IsNullOrEmpty(cursor) ? null : StoryCursor.Decode(cursor);
        if (after is not null && after.Sort != order) throw new ArgumentException("The cursor belongs to a search with another sort order.");
        var fromTime = QueryParameters.Time(from, nameof(from));
        var toTime = QueryParameters.Time(to, nameof(to));
        if (fromTime >= toTime) throw new ArgumentException("from must be earlier than to.");
        var code = string.IsNullOrEmpty(language) ? null
            : LanguageCode.Parse(language) ?? throw new ArgumentException($"language must be an ISO 639-1 code of two letters, e.g. 'de', not '{language}'.");
        return new StoryQuery { Text = text, FeedId = feedId, Language = code, From = fromTime, To = toTime, Sort = order, Limit = size, After = after };
    }
}
