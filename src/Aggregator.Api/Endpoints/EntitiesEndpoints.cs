using Aggregator.Api.Security;
using System.Globalization;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api.Endpoints;

public sealed record EntityView(long Id, string Name, string Type, long Mentions, long Stories)
{
    public static EntityView From(EntitySummary e) => new(e.Id, e.Name, EntityTypes.ToWire(e.Type), e.Mentions, e.Stories);
}

public sealed record TagRequest(string? Text);
public sealed record TaggedEntity(int Start, int End, string Type, string Text, string Canonical);
public sealed record TagResponse(string Model, IReadOnlyList<TaggedEntity> Entities);

public static class EntitiesEndpoints
{
    public const int MaxTagTextLength = 100_000;
    /// <summary>Room for the longest text in UTF-8 (up to 3 bytes a character) and its JSON.</summary>
    public const int MaxTagBodyBytes = 3 * MaxTagTextLength + 4_096;

    public static void MapEntities(this IEndpointRouteBuilder root)
    {
        var app = root.MapGroup("").AddEndpointFilter<ReadAuthFilter>().ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapGet("/api/entities", async Task<Results<Ok<List<EntityView>>, ProblemHttpResult>> (
                string? type, string? q, string? from, string? to, string? limit, IEntityStore store, CancellationToken ct) =>
            {
                try
                {
                    var query = new EntityQuery
                    {
                        Type = ParseType(type),
                        Prefix = q,
                        From = QueryParameters.Time(from, nameof(from)),
                        To = QueryParameters.Time(to, nameof(to)),
                        Limit = QueryParameters.Limit(limit, 50, 500),
                    };
                    return TypedResults.Ok((await store.ListAsync(query, ct)).Select(EntityView.From).ToList());
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .AddEndpointFilter<ConditionalGetFilter>()
            .WithTags("Entities")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Documented(Parameters.EntityType, new("q", "Names or aliases starting with this text (case-insensitive)."),
                Parameters.From with { Description = "Count only the stories published from this time (ISO 8601 date-time or date)." },
                Parameters.To with { Description = "Count only the stories published before this time (ISO 8601 date-time or date)." },
                Parameters.Limit(500, 50))
            .WithSummary("Lists entities by the number of stories mentioning them, with mention and story counts.")
            .WithDescription("type: PERSON, LOCATION or ORGANIZATION. q: names or aliases starting with this text. from, to: count only stories published in this range. limit: 1-500, default 50.");

        app.MapPost("/api/tag", Results<Ok<TagResponse>, ProblemHttpResult> (TagRequest request, NerPipeline pipeline) =>
            {
                if (string.IsNullOrEmpty(request.Text)) return Problems.BadRequest("Give the text to tag in the 'text' field.");
                if (request.Text.Length > MaxTagTextLength) return Problems.BadRequest($"The text is longer than {MaxTagTextLength} characters.");
                var entities = pipeline.Tag(request.Text)
                    .Select(m => new TaggedEntity(m.Start, m.End, EntityTypes.ToWire(m.Type), m.Text, m.Canonical)).ToList();
                return TypedResults.Ok(new TagResponse(pipeline.ModelVersion, entities));
            })
            .RequireRateLimiting(RateLimiting.TagPolicy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxTagBodyBytes))
            .WithTags("Entities")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Tags the people, places and organisations in a text, for trying the tagger out.")
            .WithDescription("text: up to 100,000 characters. Rate-limited more strictly than other endpoints (RateLimiting:TagBurst, TagPerMinute, TagConcurrency).");
    }

    public static EntityType? ParseType(string? type) =>
        string.IsNullOrWhiteSpace(type) ? null
        : EntityTypes.TryParse(type, out var parsed) ? parsed
        : throw new ArgumentException($"type must be PERSON, LOCATION or ORGANIZATION, not '{type}'.");
}

/// <summary>Parsing shared by the endpoints' query parameters, with messages that name the parameter.</summary>
public static class QueryParameters
{
    public static DateTimeOffset? Time(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && time.Year is >= 1970 and <= 9999)
            return time;
        throw new ArgumentException($"{name} must be an ISO 8601 date or time, such as 2026-11-29 or 2026-11-29T08:00:00Z; '{value}' is not.");
    }

    public static int Limit(string? value, int defaultLimit, int max)
    {
        if (string.IsNullOrEmpty(value)) return defaultLimit;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 && limit <= max
            ? limit
            : throw new ArgumentException($"limit must be a whole number from 1 to {max}.");
    }
}
