using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Aggregator.Api.Security;

/// <summary>Configuration section "Api".</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";
    /// <summary>The operators' key (X-Api-Key or Authorization: Bearer). Unset: operator endpoints accept loopback callers only.</summary>
    public string? Key { get; set; }
    /// <summary>Read endpoints too need the key (or, with no key configured, a loopback caller).</summary>
    public bool RequireKeyForReads { get; set; }
}

/// <summary>Guards read endpoints when Api:RequireKeyForReads is set; otherwise they are open.</summary>
public sealed class ReadAuthFilter(Microsoft.Extensions.Options.IOptions<ApiOptions> options, ILogger<OperatorAuthFilter> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        !options.Value.RequireKeyForReads || OperatorAuthFilter.IsAllowed(context.HttpContext, options.Value.Key)
            ? await next(context)
            : OperatorAuthFilter.Refuse(context.HttpContext, options.Value.Key, log);
}

/// <summary>Guards operator endpoints (create, change, delete, refresh, import).</summary>
public sealed class OperatorAuthFilter(Microsoft.Extensions.Options.IOptions<ApiOptions> options, ILogger<OperatorAuthFilter> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return IsAllowed(http, options.Value.Key) ? await next(context) : Refuse(http, options.Value.Key, log);
    }

    /// <summary>401 problem+json; the log names the caller and the path, never the key presented.</summary>
    public static IResult Refuse(HttpContext http, string? key, ILogger log)
    {
        log.LogWarning("Request refused without a valid API key: {Method} {Path} from {Remote}", http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: string.IsNullOrEmpty(key)
                ? "This endpoint accepts only local callers until Api:Key is configured."
                : "This endpoint needs the API key, in the X-Api-Key header or as Authorization: Bearer <key>.");
    }

    public static bool IsAllowed(HttpContext http, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            // No remote address means an in-process caller (the test host), never the network.
            var remote = http.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote);
        }
        var presented = http.Request.Headers["X-Api-Key"].FirstOrDefault();
        var authorization = http.Request.Headers.Authorization.FirstOrDefault();
        if (presented is null && authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
            presented = authorization["Bearer ".Length..].Trim();
        // Comparing hashes keeps the comparison constant-time whatever the lengths.
        return presented is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
