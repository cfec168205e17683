using Aggregator.Api.Security;
using Aggregator.Core.Feeds;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Endpoints;

/// <summary>A feed as the API shows it: settings plus health, with the next poll time worked out.</summary>
/// <param name="Discovery">Only in the answer to a subscription through an HTML page: the page and the feeds it advertises.</param>
public sealed record FeedView(
    long Id, string Url, string Name, int IntervalMinutes, bool Enabled, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt,
    long StoryCount, FeedHealthView Health,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DiscoveryView? Discovery = null)
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

/// <summary>The HTML page a subscription went through, and every feed it advertises (with its feed id when subscribed).</summary>
public sealed record DiscoveryView(string Page, IReadOnlyList<FoundFeedView> Feeds);
public sealed record FoundFeedView(string Url, string? Title, long? FeedId);

/// <param name="Url">A feed, or an HTML page that advertises one (&lt;link rel="alternate"&gt;).</param>
/// <param name="Name">Unset: the feed's own title.</param>
/// <param name="AllFeeds">For a page that advertises several feeds: subscribe to all of them, not only the first.</param>
public sealed record CreateFeedRequest(string? Url, string? Name, int? IntervalMinutes, List<string>? Tags, bool? AllFeeds);

/// <summary>The fields PATCH changes; any other field answers 400.</summary>
public sealed record UpdateFeedRequest(string? Name, int? IntervalMinutes, bool? Enabled, List<string>? Tags);
public sealed record ImportView(IReadOnlyList<FeedView> Added, IReadOnlyList<FeedView> AlreadyPresent, IReadOnlyList<InvalidOutline> Invalid);

public static class FeedsEndpoints
{
    public static void MapFeeds(this IEndpointRouteBuilder app)
    {
        var feeds = app.MapGroup("/api/feeds").WithTags("Feeds").AddEndpointFilter<ReadAuthFilter>().ProducesProblem(StatusCodes.Status401Unauthorized);
        var operators = feeds.MapGroup("").AddEndpointFilter<OperatorAuthFilter>().WithMetadata(NeedsApiKey.Instance);

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
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Documented(Parameters.Id("feed"))
            .WithSummary("One feed with its health.");

        operators.MapPost("/", async Task<Results<Created<FeedView>, ProblemHttpResult>> (
                CreateFeedRequest request, FeedService service, TimeProvider clock, CancellationToken ct) =>
            {
                try
                {
                    var subscription = await service.SubscribeAsync(
                        new FeedDefinition(request.Url ?? "", request.Name, request.IntervalMinutes, request.Tags), request.AllFeeds == true, ct);
                    var now = clock.GetUtcNow();
                    var feed = subscription.Feed;
                    if (!subscription.Created)
                        return Problems.Conflict($"Feed {feed.Id} ({feed.Url}) is already subscribed.", "feed", FeedView.From(feed, now));
                    var discovery = subscription.Page is null ? null : new DiscoveryView(subscription.Page,
                        subscription.Found.Select(f => new FoundFeedView(f.Url, f.Title, subscription.Feeds.FirstOrDefault(s => s.Url == f.Url)?.Id)).ToList());
                    return TypedResults.Created($"/api/feeds/{feed.Id}", FeedView.From(feed, now) with { Discovery = discovery });
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Subscribes to a feed, or to the feed an HTML page advertises; a URL already subscribed answers 409 naming its feed.")
            .WithDescription("""
                The URL (absolute http or https, normalised) is fetched once. A feed is added under its own title unless a name is
                given. An HTML page is searched for the feeds it advertises (<link rel="alternate"> to RSS, Atom or JSON Feed): the
                first is subscribed (all of them with allFeeds: true), and the answer's discovery names the page and what it found.
                A URL that cannot be fetched now is added as given; its health then says why its polls fail.
                """);

        operators.MapPatch("/{id:long}", async Task<Results<Ok<FeedView>, ProblemHttpResult>> (
                long id, [FromBody] JsonElement body, FeedService service, TimeProvider clock, CancellationToken ct) =>
            {
                try
                {
                    var feed = await service.UpdateAsync(id, ReadPatch(body), ct);
                    return feed is null ? NotFound(id) : TypedResults.Ok(FeedView.From(feed, clock.GetUtcNow()));
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .Accepts<UpdateFeedRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Documented(Parameters.Id("feed"))
            .WithSummary("Changes a feed's name, interval (minutes), enabled flag (pause, resume) or tags; any other field answers 400.");

        operators.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, FeedService service, CancellationToken ct) =>
                await service.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Documented(Parameters.Id("feed"))
            .WithSummary("Stops polling a feed and hides it; its stories stay.");

        operators.MapPost("/{id:long}/refresh", async Task<Results<Accepted, ProblemHttpResult>> (long id, FeedService service, CancellationToken ct) =>
                await service.RefreshAsync(id, ct) ? TypedResults.Accepted($"/api/feeds/{id}") : NotFound(id))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Documented(Parameters.Id("feed"))
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
            .ProducesProblem(StatusCodes.Status400BadRequest)
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

    private static readonly string[] ReadOnlyFields = ["id", "createdAt", "storyCount", "health"];

    /// <summary>The body of a PATCH: each field an operator may change, of its own JSON type; anything else is named in the error.</summary>
    /// <exception cref="ArgumentException">A field is unknown, cannot be changed, or has the wrong type.</exception>
    public static FeedPatch ReadPatch(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ArgumentException("The body must be a JSON object of the fields to change: name, intervalMinutes, enabled, tags.");
        var patch = new FeedPatch(null, null, null);
        foreach (var field in body.EnumerateObject())
        {
            var value = field.Value;
            if (value.ValueKind == JsonValueKind.Null) continue;
            patch = field.Name.ToLowerInvariant() switch
            {
                "name" => patch with { Name = value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(field.Name, "a string") },
                "intervalminutes" => patch with { IntervalMinutes = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var minutes) ? minutes : throw WrongType(field.Name, "a whole number of minutes") },
                "enabled" => patch with { Enabled = value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw WrongType(field.Name, "true or false") },
                "tags" => patch with
                {
                    Tags = value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String)
                        ? value.EnumerateArray().Select(t => t.GetString()!).ToList()
                        : throw WrongType(field.Name, "a list of strings"),
                },
                "url" => throw new ArgumentException("'url' cannot be changed: subscribe to the new URL and delete this feed (its stories stay)."),
                var other when ReadOnlyFields.Contains(other, StringComparer.OrdinalIgnoreCase) => throw new ArgumentException($"'{field.Name}' cannot be changed."),
                _ => throw new ArgumentException($"'{field.Name}' is not a field of a feed; PATCH changes name, intervalMinutes, enabled and tags."),
            };
        }
        return patch;
    }

    private static ArgumentException WrongType(string field, string expected) => new($"'{field}' must be {expected}.");
}
