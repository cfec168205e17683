using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Aggregator.Api;

/// <summary>Configuration section "RateLimiting": a token bucket per client address for the /api endpoints.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";
    public bool Enabled { get; set; } = true;
    /// <summary>Requests a client may make in a burst.</summary>
    public int Burst { get; set; } = 200;
    /// <summary>Requests per second a client gets back.</summary>
    public int PerSecond { get; set; } = 50;
    /// <summary>POST /api/tag runs the tagger on up to 100,000 characters: a stricter bucket per client...</summary>
    public int TagBurst { get; set; } = 10;
    public int TagPerMinute { get; set; } = 30;
    /// <summary>...and at most this many taggings at once from all clients, so that tagging never takes every core.</summary>
    public int TagConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);
}

public static class RateLimiting
{
    public const string Policy = "per-client";
    public const string TagPolicy = "tag";
    private const string TagPath = "/api/tag";

    public static IServiceCollection AddPerClientRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitingOptions.Section).Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http => PerClient(http, options, options.Burst, options.PerSecond, TimeSpan.FromSeconds(1)));
            limiter.AddPolicy(TagPolicy, http => PerClient(http, options, options.TagBurst, options.TagPerMinute, TimeSpan.FromMinutes(1)));
            // Concurrency across all clients cannot be one client's partition: it is the global limiter's, for the tag path only.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                options.Enabled && http.Request.Path.StartsWithSegments(TagPath)
                    ? RateLimitPartition.GetConcurrencyLimiter(TagPath, _ => new ConcurrencyLimiterOptions { PermitLimit = options.TagConcurrency, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var what = context.HttpContext.Request.Path.StartsWithSegments(TagPath)
                    ? "Too many texts to tag, from this client or from all clients at once"
                    : "This client sent too many requests";
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"{what}; retry after {seconds} s.").ExecuteAsync(context.HttpContext);
            };
        });
    }

    private static RateLimitPartition<string> PerClient(HttpContext http, RateLimitingOptions options, int burst, int perPeriod, TimeSpan period) =>
        !options.Enabled
            ? RateLimitPartition.GetNoLimiter("off")
            : RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "local", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
}
