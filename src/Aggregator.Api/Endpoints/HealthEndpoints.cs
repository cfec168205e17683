using Aggregator.Core.Stores;

namespace Aggregator.Api.Endpoints;

public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/", () => TypedResults.Ok(new { status = "live" })).WithSummary("The process is up.");
        health.MapGet("/ready", async (IStoryStore store, CancellationToken ct) =>
                await store.PingAsync(ct)
                    ? Results.Ok(new { status = "ready" })
                    : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: "The database cannot be reached."))
            .WithSummary("The database is reachable and migrated.");
    }
}
