namespace Aggregator.Core.Fetching;

/// <summary>
/// Follows redirects here rather than inside the socket handler, so that every hop passes the handlers below this one
/// (the destination check when a proxy is used) and a redirect to anything but http(s) ends the fetch with a clear
/// error: the 3xx is handed back unfollowed, as after too many hops.
/// </summary>
internal sealed class RedirectHandler(int maxRedirects) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        for (var hop = 0; hop < maxRedirects && Target(response) is { } target; hop++)
        {
            var next = new HttpRequestMessage(HttpMethod.Get, target) { Version = request.Version, VersionPolicy = request.VersionPolicy };
            foreach (var (name, values) in request.Headers) next.Headers.TryAddWithoutValidation(name, values);
            response.Dispose();
            response = await base.SendAsync(next, ct);
        }
        return response;
    }

    /// <summary>Where a redirect points when it is one to follow: an http(s) URL, absolute or relative to the request's.</summary>
    private static Uri? Target(HttpResponseMessage response)
    {
        if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308)) return null;
        if (response.Headers.Location is not { } location || response.RequestMessage?.RequestUri is not { } from) return null;
        if (!Uri.TryCreate(from, location, out var target) || target.Scheme is not ("http" or "https")) return null;
        // A redirect without a fragment keeps the original's (RFC 9110 10.2.2).
        return target.Fragment.Length == 0 && from.Fragment.Length > 0 ? new UriBuilder(target) { Fragment = from.Fragment[1..] }.Uri : target;
    }
}
