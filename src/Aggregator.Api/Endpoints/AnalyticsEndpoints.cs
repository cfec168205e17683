using Aggregator.Api.Security;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api.Endpoints;

public sealed record EntityPage(
    long Id, string Name, string Type, IReadOnlyList<string> Aliases, long Mentions, long Stories, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen,
    bool Ignored, bool Curated,
    string Interval, IReadOnlyList<SeriesPoint> Series, IReadOnlyList<Cooccurrence> Cooccurrences, IReadOnlyList<StorySummary> Latest);

/// <summary>What analysts and dashboards ask of the entities: one entity in depth, who appears with whom, what is rising, totals.</summary>
public static class AnalyticsEndpoints
{
    private static readonly TimeSpan TrendBaseline = TimeSpan.FromDays(7);

    public static void MapAnalytics(this IEndpointRouteBuilder root)
    {
        var app = root.MapGroup("/api").AddEndpointFilter<ReadAuthFilter>().AddEndpointFilter<ConditionalGetFilter>().ProducesProblem(StatusCodes.Status401Unauthorized);

        app.MapGet("/entities/{id:long}", async Task<Results<Ok<EntityPage>, RedirectHttpResult, ProblemHttpResult>> (
                long id, string? from, string? to, string? interval, IEntityStore entities, IStoryStore stories, TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                try
                {
                    var step = ParseInterval(interval);
                    var (start, end) = Range(from, to, clock, step == SeriesInterval.Hour ? TimeSpan.FromDays(2) : TimeSpan.FromDays(30));
                    if ((end - start) / (step == SeriesInterval.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1)) > 5000)
                        throw new ArgumentException("The range has more than 5,000 intervals: shorten it or use interval=day.");
                    if (await entities.GetAsync(id, ct) is not { } entity) return Problems.NotFound($"There is no entity {id}.");
                    if (entity.MergedInto is { } target) return MergedInto(http, target);
                    var series = await entities.SeriesAsync(id, start, end, step, ct);
                    var together = await entities.CooccurrencesAsync(id, null, start, end, 10, ct);
                    var latest = await stories.SearchAsync(new StoryQuery { EntityFilters = [[id]], Limit = 10 }, ct);
                    return TypedResults.Ok(new EntityPage(entity.Id, entity.Name, Aggregator.Nlp.EntityTypes.ToWire(entity.Type), entity.Aliases,
                        entity.Mentions, entity.Stories, entity.FirstSeen, entity.LastSeen, entity.Ignored, entity.Curated,
                        step.ToString().ToLowerInvariant(), series, together, latest.Items));
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .WithTags("Entities")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Documented(Parameters.Id("entity"),
                Parameters.From with { Description = "Start of the series and co-occurrence range (ISO 8601 date-time or date); default: 2 days (interval=hour) or 30 days (interval=day) before to." },
                Parameters.To with { Description = "End of the range, exclusive (ISO 8601 date-time or date); default: now." },
                new("interval", "The series' buckets.", Values: ["hour", "day"], Default: "day"))
            .WithSummary("One entity: canonical name, type, aliases, counts, first and last seen, a mention time series, top co-occurring entities and the latest stories.")
            .WithDescription("""
                from, to: the series range (default: the last 2 days for interval=hour, 30 days for interval=day). interval: hour or day (default day).
                An entity merged into another answers 308 to that one's address (ids never change meaning).
                """);

        app.MapGet("/entities/{id:long}/cooccurrences", async Task<Results<Ok<IReadOnlyList<Cooccurrence>>, RedirectHttpResult, ProblemHttpResult>> (
                long id, string? type, string? from, string? to, string? limit, IEntityStore entities, HttpContext http, CancellationToken ct) =>
            {
                try
                {
                    var kind = EntitiesEndpoints.ParseType(type);
                    var size = QueryParameters.Limit(limit, 20, 200);
                    var (start, end) = (QueryParameters.Time(from, nameof(from)), QueryParameters.Time(to, nameof(to)));
                    if (start >= end) throw new ArgumentException("from must be earlier than to.");
                    if (await entities.GetAsync(id, ct) is not { } entity) return Problems.NotFound($"There is no entity {id}.");
                    if (entity.MergedInto is { } target) return MergedInto(http, target);
                    return TypedResults.Ok(await entities.CooccurrencesAsync(id, kind, start, end, size, ct));
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .WithTags("Entities")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Documented(Parameters.Id("entity"), Parameters.EntityType with { Description = "Only co-occurring entities of this type." },
                Parameters.From, Parameters.To, Parameters.Limit(200, 20))
            .WithSummary("Entities appearing in the same stories, most shared stories first, with lift and PMI.")
            .WithDescription("""
                stories: stories mentioning both. lift = P(both) / (P(this) * P(other)) over the stories published in the range: 1 means
                together no more often than chance, above 1 more often; it corrects for sheer frequency, which the raw count does not.
                Counted over this entity's newest 5,000 stories in the range (all of them for most entities); the other entity's
                share of stories comes from its whole history, scaled to the same window. pmi = log2(lift).
                type: only co-occurring entities of this type. from, to: published range. limit: 1-200, default 20.
                """);

        app.MapGet("/trends", async Task<Results<Ok<IReadOnlyList<Trend>>, ProblemHttpResult>> (
                string? window, string? type, string? limit, IEntityStore entities, TimeProvider clock, CancellationToken ct) =>
            {
                try
                {
                    var length = ParseWindow(window);
                    return TypedResults.Ok(await entities.TrendsAsync(clock.GetUtcNow(), length, TrendBaseline, EntitiesEndpoints.ParseType(type),
                        QueryParameters.Limit(limit, 20, 100), ct));
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .WithMetadata(ConditionalGetFilter.ClockDependent)
            .WithTags("Entities")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Documented(
                new("window", "How far back to look: hours or days from 1h to 7d (1h, 6h, 24h, 2d, 7d...).", Pattern: "^[1-9][0-9]*[hd]$", Default: "24h"),
                Parameters.EntityType, Parameters.Limit(100, 20))
            .WithSummary("Entities whose mentions rise most in the window against their own baseline of the 7 days before it.")
            .WithDescription("""
                window: 1h to 7d, as 6h, 24h, 2d (default 24h). For each entity with at least 3 stories in the window:
                windowCount = stories in the window; baselineRate = its stories in the 7 days before, per window-length;
                score = (windowCount - baselineRate) / sqrt(baselineRate + 1), a Poisson-style surprise that needs both a rise and
                volume: a brand-new entity with 3 stories scores 2, a sustained surge from 10 to 50 scores 12. Up to 3 evidence
                stories each. type filters; limit 1-100, default 20.
                """);

        app.MapGet("/stats", async (IStoryStore stories, TimeProvider clock, CancellationToken ct) => TypedResults.Ok(await stories.StatsAsync(clock.GetUtcNow(), ct)))
            .WithMetadata(ConditionalGetFilter.ClockDependent)
            .WithTags("Stats")
            .WithSummary("Totals: stories, feeds, entities, failing feeds, and stories stored per hour over the last 48 hours.");
    }

    /// <summary>308 to the same address of the entity it was merged into, its query kept.</summary>
    private static RedirectHttpResult MergedInto(HttpContext http, long target)
    {
        var path = http.Request.Path.Value!;
        var rest = path[(path.IndexOf("/entities/", StringComparison.Ordinal) + "/entities/".Length)..];
        var tail = rest.IndexOf('/') is var slash and >= 0 ? rest[slash..] : "";
        return TypedResults.Redirect($"/api/entities/{target}{tail}{http.Request.QueryString}", permanent: true, preserveMethod: true);
    }

    private static SeriesInterval ParseInterval(string? interval) => interval?.ToLowerInvariant() switch
    {
        null or "" or "day" => SeriesInterval.Day,
        "hour" => SeriesInterval.Hour,
        _ => throw new ArgumentException($"interval must be 'hour' or 'day', not '{interval}'."),
    };

    private static (DateTimeOffset Start, DateTimeOffset End) Range(string? from, string? to, TimeProvider clock, TimeSpan defaultLength)
    {
        var end = QueryParameters.Time(to, nameof(to)) ?? clock.GetUtcNow();
        var start = QueryParameters.Time(from, nameof(from)) ?? end - defaultLength;
        if (start >= end) throw new ArgumentException("from must be earlier than to.");
        return (start, end);
    }

    private static TimeSpan ParseWindow(string? window)
    {
        if (string.IsNullOrWhiteSpace(window)) return TimeSpan.FromHours(24);
        var unit = window[^1];
        if (int.TryParse(window.AsSpan(0, window.Length - 1), System.Globalization.NumberStyles.None, null, out var n) && n > 0)
        {
            var length = unit switch { 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => TimeSpan.Zero };
            if (length >= TimeSpan.FromHours(1) && length <= TimeSpan.FromDays(7)) return length;
        }
        throw new ArgumentException($"window must be a length from 1h to 7d, such as 6h, 24h or 2d; '{window}' is not.");
    }
}
