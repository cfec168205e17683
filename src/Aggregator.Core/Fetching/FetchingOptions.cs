namespace Aggregator.Core.Fetching;

/// <summary>Configuration section "Fetching": how feeds and article pages are downloaded.</summary>
public sealed class FetchingOptions
{
    public const string Section = "Fetching";

    /// <summary>Allows every non-public address except link-local and cloud metadata ones. Off by default: see SECURITY.md.</summary>
    public bool AllowPrivateNetworks { get; set; }
    /// <summary>
    /// CIDR ranges allowed although not public (e.g. 127.0.0.0/8, 10.20.0.0/16). Link-local and metadata addresses only
    /// when a range lies within their own block (169.254.169.254/32, 169.254.0.0/16), never through a wider one.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];
    /// <summary>
    /// An HTTP proxy for every fetch, e.g. http://proxy.internal:3128; unset = none (HTTP_PROXY and the like are
    /// ignored). Through a proxy, each destination's addresses are resolved and checked before the request is sent.
    /// </summary>
    public string? Proxy { get; set; }

    internal Uri? ProxyUri => Uri.TryCreate(Proxy, UriKind.Absolute, out var uri) ? uri : null;
    public string UserAgent { get; set; } = "Aggregator/1.0 (news aggregator; +https://github.com/aggregator/aggregator)";
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Whole request, body included, retries included: a stalled body ends here.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public long MaxFeedBytes { get; set; } = 10 * 1024 * 1024;
    public long MaxPageBytes { get; set; } = 5 * 1024 * 1024;
    public int MaxRedirects { get; set; } = 5;
    /// <summary>Extra attempts on network errors and 500/502/504 within one fetch.</summary>
    public int Retries { get; set; } = 2;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(300);
}
