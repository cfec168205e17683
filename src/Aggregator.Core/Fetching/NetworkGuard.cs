using System.Net;
using System.Net.Sockets;

namespace Aggregator.Core.Fetching;

/// <summary>
/// Which addresses the service may connect to (SSRF). Public unicast addresses are allowed; every IANA special-purpose
/// block (loopback, private, shared, documentation, benchmarking, reserved, multicast, IPv6 transition forms that hide
/// an address) is refused unless <see cref="FetchingOptions.AllowPrivateNetworks"/> is on or a range of
/// <see cref="FetchingOptions.AllowedNetworks"/> holds the address. Link-local addresses and cloud metadata endpoints
/// are refused even then, unless an allowed range lies within their own block and so names them explicitly.
/// </summary>
public sealed class NetworkGuard
{
    /// <summary>Cloud metadata and host-control endpoints: each is its own block, allowed only by a range naming it alone.</summary>
    private static readonly IPNetwork[] Metadata = Networks(
        "169.254.169.254/32",  // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
        "169.254.170.2/32",    // AWS ECS task metadata
        "fd00:ec2::254/128",   // AWS IPv6
        "100.100.100.200/32",  // Alibaba Cloud
        "168.63.129.16/32",    // Azure WireServer (a public address)
        "192.0.0.192/32");     // Oracle Cloud

    private static readonly IPNetwork[] LinkLocal = Networks("169.254.0.0/16", "fe80::/10");

    private static readonly IPNetwork[] SpecialIPv4 = Networks(
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4");

    /// <summary>Within global unicast (2000::/3), the blocks that are not public: IETF protocol assignments (incl. Teredo), documentation.</summary>
    private static readonly IPNetwork[] SpecialIPv6 = Networks("2001::/23", "2001:db8::/32", "3fff::/20");

    private static readonly IPNetwork GlobalUnicastIPv6 = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly bool _allowPrivate;
    private readonly IPNetwork[] _allowed;

    /// <exception cref="ArgumentException">An allowed range is not CIDR notation.</exception>
    public NetworkGuard(bool allowPrivateNetworks, IEnumerable<string> allowedNetworks)
    {
        _allowPrivate = allowPrivateNetworks;
        _allowed = allowedNetworks.Select(range => IPNetwork.TryParse(range.Trim(), out var network)
            ? network
            : throw new ArgumentException($"Fetching:AllowedNetworks: '{range}' is not a CIDR range such as 10.0.0.0/8 or fd00::/8.")).ToArray();
    }

    public NetworkGuard(FetchingOptions options) : this(options.AllowPrivateNetworks, options.AllowedNetworks) { }

    /// <summary>Public unicast: neither special-purpose, link-local nor a metadata endpoint.</summary>
    public static bool IsPublic(IPAddress address)
    {
        var plain = Unscoped(address);
        return Protecting(plain) is null && !IsSpecial(plain);
    }

    public bool Allows(IPAddress address)
    {
        var plain = Unscoped(address);
        var candidates = plain.IsIPv4MappedToIPv6 ? new[] { plain, plain.MapToIPv4() } : [plain];
        if (Protecting(plain) is { } block)
            return _allowed.Any(range => range.PrefixLength >= block.PrefixLength && block.Contains(range.BaseAddress)
                && candidates.Any(range.Contains));
        if (!IsSpecial(plain)) return true;
        return _allowPrivate || _allowed.Any(range => candidates.Any(range.Contains));
    }

    /// <summary>Resolves the host and connects to its first allowed address; throws when every address is refused.</summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken ct) =>
        await ConnectToFirstAsync(await AllowedAddressesAsync(endPoint.Host, ct), endPoint.Port, ct);

    /// <summary>Connects wherever the host resolves to: for the configured proxy only.</summary>
    public static async ValueTask<Stream> ConnectUncheckedAsync(DnsEndPoint endPoint, CancellationToken ct) =>
        await ConnectToFirstAsync(await ResolveAsync(endPoint.Host, ct), endPoint.Port, ct);

    private static async ValueTask<Stream> ConnectToFirstAsync(IPAddress[] addresses, int port, CancellationToken ct)
    {
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Resolves the host; throws unless every address it has is allowed (a proxy would pick any of them).</summary>
    public async Task EnsureAllAllowedAsync(string host, CancellationToken ct)
    {
        var addresses = await ResolveAsync(host, ct);
        if (addresses.Any(a => !Allows(a))) throw Refused(host, addresses);
    }

    private async Task<IPAddress[]> AllowedAddressesAsync(string host, CancellationToken ct)
    {
        var addresses = await ResolveAsync(host, ct);
        var allowed = addresses.Where(Allows).ToArray();
        return allowed.Length > 0 ? allowed : throw Refused(host, addresses);
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    private static BlockedAddressException Refused(string host, IPAddress[] addresses) => new(
        $"Refused to connect to {host} ({string.Join(", ", addresses.Select(a => a.ToString()))}): it is not a public address " +
        "(Fetching:AllowedNetworks lists the private ranges to allow; link-local and cloud metadata addresses only when a range names them).");

    /// <summary>The scope (%eth0) is not part of what an address is: ::1%1 is loopback.</summary>
    private static IPAddress Unscoped(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    /// <summary>The link-local or metadata block an address belongs to, the most specific one.</summary>
    private static IPNetwork? Protecting(IPAddress address)
    {
        var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var block in Metadata.Concat(LinkLocal))
            if (block.Contains(v4) || block.Contains(address)) return block;
        return null;
    }

    private static bool IsSpecial(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return SpecialIPv4.Any(b => b.Contains(address));
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return true;
        if (address.IsIPv4MappedToIPv6) return IsSpecial(address.MapToIPv4());
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        // Forms that carry an IPv4 address are judged by it.
        if (Nat64.Contains(address)) return IsSpecial(new IPAddress(b[12..]));
        if (SixToFour.Contains(address)) return IsSpecial(new IPAddress(b[2..6]));
        // Outside 2000::/3 nothing is public unicast (loopback, unspecified, IPv4-compatible and -translated forms,
        // discard-only, unique local, link-local, site-local, multicast, SRv6).
        return !GlobalUnicastIPv6.Contains(address) || SpecialIPv6.Any(block => block.Contains(address));
    }

    private static IPNetwork[] Networks(params string[] ranges) => ranges.Select(IPNetwork.Parse).ToArray();
}

public sealed class BlockedAddressException(string message) : Exception(message);
