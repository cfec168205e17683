using Aggregator.Core.Stores;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Api.Endpoints;

/// <summary>
/// ETag and Last-Modified for read endpoints, from the store's data version: a poll whose If-None-Match still matches
/// costs one single-row lookup and answers 304 with no body, before the endpoint's own query runs.
/// Answers that depend on the clock (trends, stats) also carry the current minute in their ETag.
/// </summary>
public sealed class ConditionalGetFilter(IStoryStore store, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Security.ApiOptions> api) : IEndpointFilter
{
    public const string ClockDependent = "aggregator:clock-dependent";
    /// <summary>The answer shows operators more than readers (credentials in feed URLs): the two get different ETags.</summary>
    public const string CallerDependent = "aggregator:caller-dependent";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (version, changed) = await store.VersionAsync(http.RequestAborted);
        var minute = http.GetEndpoint()?.Metadata.Contains(ClockDependent) == true ? $"-m{clock.GetUtcNow().ToUnixTimeSeconds() / 60}" : "";
        var view = "";
        if (http.GetEndpoint()?.Metadata.Contains(CallerDependent) == true)
        {
            view = Security.OperatorAuthFilter.IsAllowed(http, api.Value.Key) ? "-op" : "";
            http.Response.Headers.Vary = "X-Api-Key, Authorization";
        }
        var etag = new EntityTagHeaderValue($"\"v{version}{minute}{view}\"", isWeak: true);
        var headers = http.Response.GetTypedHeaders();
        var request = http.Request.GetTypedHeaders();
        if (request.IfNoneMatch.Count > 0 ? request.IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: false) || t.Equals(EntityTagHeaderValue.Any))
            : minute.Length == 0 && request.IfModifiedSince is { } since && changed <= since.AddSeconds(1))
        {
            headers.ETag = etag;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var result = await next(context);
        if (!IsError(result))
        {
            headers.ETag = etag;
            if (minute.Length == 0) headers.LastModified = changed;
            headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        }
        return result;
    }

    /// <summary>Only successful answers carry validators; an error must not be cached as if it were the data.</summary>
    private static bool IsError(object? result) => result switch
    {
        INestedHttpResult nested => IsError(nested.Result),
        IStatusCodeHttpResult { StatusCode: >= 300 } => true,
        _ => false,
    };
}
