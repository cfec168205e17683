namespace Aggregator.Core.Dedup;

/// <summary>
/// One form for the links that point at the same article: no tracking parameters, no default port, and no fragment
/// unless asked for (a feed whose items differ only by fragment, day.html#a1 and day.html#a2, needs it).
/// </summary>
public static class CanonicalLink
{
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_ga", "ocid", "cmpid", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
    };

    public static string? From(string? link, bool keepFragment = false)
    {
        if (link is null || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        var query = uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !IsTracking(pair[..(pair.IndexOf('=') is var i and >= 0 ? i : pair.Length)]))
            .ToArray();
        var builder = new UriBuilder(uri)
        {
            Host = uri.Host.ToLowerInvariant(),
            Fragment = keepFragment ? uri.Fragment.TrimStart('#') : "",
            Query = query.Length == 0 ? "" : string.Join('&', query),
        };
        if (uri.IsDefaultPort) builder.Port = -1;
        return builder.Uri.AbsoluteUri;
    }

    private static bool IsTracking(string name) =>
        name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || TrackingParameters.Contains(name);
}
