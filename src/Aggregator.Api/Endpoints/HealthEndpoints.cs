using Aggregator.Core.Stores;

namespace Aggregator.Api.Endpoints;

public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/", () => TypedResults.Ok(new { status = "live" })).WithSummary("The process is up.");
        health.MapGet("/ready", async (IStoryStore store, CancellationToken ct) => await store.ConditionAsync(ct) switch
            {
                StoreCondition.Ready => Results.Ok(new { status = "ready" }),
                StoreCondition.Full => Problems.StorageFull(),
                _ => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: "The database cannot be reached."),
            })
            .WithSummary("The database is reachable, migrated and writable (503 'Storage full' when its disk is).");
    }
}
