using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace Aggregator.Core.Fetching;

public static class FetchingServices
{
    /// <summary>Registers the "aggregator" HTTP client: address guard, decompression, redirects, retries of transient failures.</summary>
    public static IServiceCollection AddFetching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FetchingOptions>()
            .Bind(configuration.GetSection(FetchingOptions.Section))
            .Validate(o => o.AllowedNetworks.All(range => IPNetwork.TryParse(range.Trim(), out _)),
                "Fetching:AllowedNetworks must hold CIDR ranges such as 127.0.0.0/8 or fd00::/8.")
            .Validate(o => o.Proxy is null || o.ProxyUri is { Scheme: "http" or "https" },
                "Fetching:Proxy must be an absolute http URL such as http://proxy.internal:3128.")
            .ValidateOnStart();
        services.AddSingleton(sp => new NetworkGuard(sp.GetRequiredService<IOptions<FetchingOptions>>().Value));
        services.AddSingleton<HttpFetcher>();
        var client = services.AddHttpClient(HttpFetcher.ClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<FetchingOptions>>().Value;
                client.Timeout = Timeout.InfiniteTimeSpan; // HttpFetcher owns the time budget, body included
                client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<FetchingOptions>>().Value;
                var guard = sp.GetRequiredService<NetworkGuard>();
                var proxy = options.ProxyUri;
                return new SocketsHttpHandler
                {
                    // No proxy unless configured: HTTP_PROXY in the environment would send every destination past the
                    // connect callback, which then only ever sees the proxy's address.
                    UseProxy = proxy is not null,
                    Proxy = proxy is null ? null : new WebProxy(proxy) { BypassProxyOnLocal = false },
                    AutomaticDecompression = DecompressionMethods.All,
                    ConnectTimeout = options.ConnectTimeout,
                    AllowAutoRedirect = false, // RedirectHandler follows them
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    MaxConnectionsPerServer = 8,
                    UseCookies = false,
                    // Through a proxy the only connections are to the proxy, which the operator chose (ProxyDestinationGuard
                    // checks the destinations); without one, every connection is to a destination.
                    ConnectCallback = (context, ct) => IsProxy(context.DnsEndPoint, proxy)
                        ? NetworkGuard.ConnectUncheckedAsync(context.DnsEndPoint, ct)
                        : guard.ConnectAsync(context.DnsEndPoint, ct),
                };
            });
        // Outermost first: a retry follows the redirects again.
        client.AddResilienceHandler("transient-retry", (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<FetchingOptions>>().Value;
                // A retry, and each attempt of a fetch that ends failing, is expected on the open internet: the poll's
                // own failure line says how it ended, so these are debugging detail (Polly logs them as warnings and
                // errors with stack traces otherwise).
                builder.ConfigureTelemetry(new TelemetryOptions(context.GetOptions<TelemetryOptions>())
                {
                    SeverityProvider = e => e.Event.EventName is "OnRetry" or "ExecutionAttempt" ? ResilienceEventSeverity.Debug : e.Event.Severity,
                });
                if (options.Retries <= 0) return;
                builder.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.Retries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // 429 and 503 are not retried here: their Retry-After is honoured by scheduling the next poll.
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                    {
                        // A refused address stays refused, and a name that did not resolve will not resolve 300 ms later.
                        { Exception: HttpRequestException e } => e.InnerException is not BlockedAddressException && !IsNameLookupFailure(e),
                        { Result.StatusCode: HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout } => true,
                        _ => false,
                    }),
                });
            });
        client.AddHttpMessageHandler(sp => new RedirectHandler(sp.GetRequiredService<IOptions<FetchingOptions>>().Value.MaxRedirects));
        client.AddHttpMessageHandler(sp => new ProxyDestinationGuard(
            sp.GetRequiredService<NetworkGuard>(), sp.GetRequiredService<IOptions<FetchingOptions>>().Value.ProxyUri is not null));
        return services;
    }

    private static bool IsProxy(DnsEndPoint endPoint, Uri? proxy) =>
        proxy is not null && endPoint.Port == proxy.Port && string.Equals(endPoint.Host, proxy.IdnHost, StringComparison.OrdinalIgnoreCase);

    public static bool IsNameLookupFailure(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.NameResolutionError
        || e.InnerException is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData };
}
