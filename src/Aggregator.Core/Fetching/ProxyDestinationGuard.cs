namespace Aggregator.Core.Fetching;

/// <summary>
/// Through a proxy, the connect callback sees only the proxy's address: this checks each request's destination (every
/// redirect hop passes here) by resolving it and refusing it unless all of its addresses are allowed. The proxy
/// resolves the name again, so it should refuse private destinations too (see SECURITY.md).
/// </summary>
internal sealed class ProxyDestinationGuard(NetworkGuard guard, bool throughProxy) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (throughProxy && request.RequestUri is { } destination)
        {
            try
            {
                await guard.EnsureAllAllowedAsync(destination.IdnHost, ct);
            }
            catch (Exception e) when (e is BlockedAddressException or System.Net.Sockets.SocketException)
            {
                // As the socket handler reports a refused or failed connect: HttpFetcher and the retry policy know it.
                throw new HttpRequestException(e.Message, e);
            }
        }
        return await base.SendAsync(request, ct);
    }
}
