using Aggregator.Api.Security;
using Aggregator.Core.Feeds;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Endpoints;

/// <summary>A feed as the API shows it: settings plus health, with the next poll time worked out.</summary>
public sealed record FeedView(
    long Id, string Url, string Name, int IntervalMinutes, bool Enabled, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt,
    long StoryCount, FeedHealthView Health)
{
    /// <param name="forOperator">Operators see credentials in URLs and other hosts in errors; readers see them redacted.</param>
    public static FeedView From(Feed feed, DateTimeOffset now, bool forOperator = true) => new(
        feed.Id, forOperator ? feed.Url : FeedRedaction.Url(feed.Url), feed.Name, feed.IntervalMinutes, feed.Enabled, feed.Tags, feed.CreatedAt, feed.StoryCount,
        new FeedHealthView(feed.Health.LastAttemptAt, feed.Health.LastSuccessAt, feed.Health.LastStatus,
            forOperator ? feed.Health.LastError : FeedRedaction.Error(feed.Health.LastError, feed.Url),
            feed.Health.ConsecutiveFailures, PollSchedule.NextPoll(feed, now), feed.Health.Format));
}

public sealed record FeedHealthView(
    DateTimeOffset? LastAttemptAt, DateTimeOffset? LastSuccessAt, int? LastStatus, string? LastError,
    int ConsecutiveFailures, DateTimeOffset? NextPollAt, string? Format);

public sealed record CreateFeedRequest(string? Url, string? Name, int? IntervalMinutes, List<string>? Tags);
public sealed record UpdateFeedRequest(string? Name, int? IntervalMinutes, bool? Enabled);
public sealed record ImportView(IReadOnlyList<FeedView> Added, IReadOnlyList<FeedView> AlreadyPresent, IReadOnlyList<InvalidOutline> Invalid);

public static class FeedsEndpoints
{
    public static void MapFeeds(this IEndpointRouteBuilder app)
    {
        var feeds = app.MapGroup("/api/feeds").WithTags("Feeds").AddEndpointFilter<ReadAuthFilter>();
        var operators = feeds.MapGroup("").AddEndpointFilter<OperatorAuthFilter>();

        feeds.MapGet("/", async (HttpContext http, IFeedStore store, TimeProvider clock, IOptions<ApiOptions> api, CancellationToken ct) =>
                (await store.ListAsync(ct)).Select(f => FeedView.From(f, clock.GetUtcNow(), OperatorAuthFilter.IsAllowed(http, api.Value.Key))).ToList())
            .AddEndpointFilter<ConditionalGetFilter>()
            .WithMetadata(ConditionalGetFilter.ClockDependent, ConditionalGetFilter.CallerDependent)
            .WithSummary("Lists the feeds with their health: last attempt and success, last HTTP status and error, consecutive failures, next poll, story count.")
            .WithDescription("Without the operators' key, credentials in feed URLs and other hosts' names and addresses in errors are redacted.");

        feeds.MapGet("/{id:long}", async Task<Results<Ok<FeedView>, ProblemHttpResult>> (
                long id, HttpContext http, IFeedStore store, TimeProvider clock, IOptions<ApiOptions> api, CancellationToken ct) =>
                await store.GetAsync(id, ct) is { } feed
                    ? TypedResults.Ok(FeedView.From(feed, clock.GetUtcNow(), OperatorAuthFilter.IsAllowed(http, api.Value.Key)))
                    : NotFound(id))
            .WithSummary("One feed with its health.");

        operators.MapPost("/", async Task<Results<Created<FeedView>, Conflict<FeedView>, ProblemHttpResult>> (
                CreateFeedRequest request, FeedService service, TimeProvider clock, CancellationToken ct) =>
            {
                try
                {
                    var (feed, created) = await service.AddAsync(new FeedDefinition(request.Url ?? "", request.Name, request.IntervalMinutes, request.Tags), ct);
                    var view = FeedView.From(feed, clock.GetUtcNow());
                    return created ? TypedResults.Created($"/api/feeds/{feed.Id}", view) : TypedResults.Conflict(view);
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .WithSummary("Adds a feed (absolute http/https URL, normalised). A feed with the same URL answers 409 with the existing feed.");

        operators.MapPatch("/{id:long}", async Task<Results<Ok<FeedView>, ProblemHttpResult>> (
                long id, UpdateFeedRequest request, FeedService service, TimeProvider clock, CancellationToken ct) =>
            {
                try
                {
                    var feed = await service.UpdateAsync(id, new FeedPatch(request.Name, request.IntervalMinutes, request.Enabled), ct);
                    return feed is null ? NotFound(id) : TypedResults.Ok(FeedView.From(feed, clock.GetUtcNow()));
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .WithSummary("Changes a feed's name, interval (minutes) or enabled flag.");

        operators.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, FeedService service, CancellationToken ct) =>
                await service.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id))
            .WithSummary("Stops polling a feed and hides it; its stories stay.");

        operators.MapPost("/{id:long}/refresh", async Task<Results<Accepted, ProblemHttpResult>> (long id, FeedService service, CancellationToken ct) =>
                await service.RefreshAsync(id, ct) ? TypedResults.Accepted($"/api/feeds/{id}") : NotFound(id))
            .WithSummary("Polls the feed now, even if it is resting after failures.");

        operators.MapPost("/opml", async Task<Results<Ok<ImportView>, ProblemHttpResult>> (HttpRequest request, FeedService service, TimeProvider clock, CancellationToken ct) =>
            {
                try
                {
                    // XML reading is synchronous: buffer the body first (ASP.NET forbids synchronous request reads).
                    using var body = new MemoryStream();
                    await request.Body.CopyToAsync(body, ct);
                    body.Position = 0;
                    var report = await service.ImportOpmlAsync(body, ct);
                    var now = clock.GetUtcNow();
                    return TypedResults.Ok(new ImportView(
                        report.Added.Select(f => FeedView.From(f, now)).ToList(),
                        report.AlreadyPresent.Select(f => FeedView.From(f, now)).ToList(),
                        report.Invalid));
                }
                catch (InvalidDataException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .Accepts<string>("text/x-opml", "application/xml", "text/xml")
            .WithSummary("Imports an OPML subscription list; reports the feeds added, already present and invalid.");

        feeds.MapGet("/opml", async (HttpContext http, IFeedStore store, IOptions<ApiOptions> api, CancellationToken ct) =>
            {
                var list = await store.ListAsync(ct);
                if (!OperatorAuthFilter.IsAllowed(http, api.Value.Key)) list = list.Select(f => f with { Url = FeedRedaction.Url(f.Url) }).ToList();
                return TypedResults.Text(Opml.Write(list), "text/x-opml; charset=utf-8");
            })
            .WithSummary("Exports the feeds as OPML 2.0 (credentials in URLs redacted without the operators' key).");
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"There is no feed {id}.");
}
