using System.Net;
using System.Net.Sockets;

namespace Aggregator.Core.Fetching;

/// <summary>
/// Refuses connections to addresses a public feed has no business pointing at (SSRF): loopback, private,
/// link-local (cloud metadata), carrier-grade NAT, multicast, unspecified and reserved ranges, IPv4 and IPv6.
/// It runs in the socket connect callback on the address actually connected to, so DNS rebinding and
/// redirects cannot get past it.
/// </summary>
public static class NetworkGuard
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] == 0                                   // 0.0.0.0/8 "this network"
                || b[0] == 10                                    // 10/8 private
                || b[0] == 127                                   // loopback
                || (b[0] == 100 && (b[1] & 0xC0) == 64)          // 100.64/10 carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)                  // link-local, cloud metadata
                || (b[0] == 172 && (b[1] & 0xF0) == 16)          // 172.16/12 private
                || (b[0] == 192 && b[1] == 168)                  // 192.168/16 private
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)       // 192.0.0/24 protocol assignments
                || (b[0] == 198 && (b[1] & 0xFE) == 18)          // 198.18/15 benchmarking
                || b[0] >= 224);                                 // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)) return false;
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return false;
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            if ((b[0] & 0xFE) == 0xFC) return false;             // fc00::/7 unique local
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
                return IsPublic(new IPAddress(b[12..]));         // 64:ff9b::/96 NAT64 carries an IPv4 address
            if (b[0] == 0x20 && b[1] == 0x02)
                return IsPublic(new IPAddress(b[2..6]));         // 2002::/16 6to4 carries an IPv4 address
            return true;
        }
        return false;
    }

    /// <summary>Resolves the host and connects to its first allowed address; throws when every address is refused.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, ct);
        var allowed = allowPrivate ? addresses : addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new BlockedAddressException(
                $"Refused to connect to {endPoint.Host} ({string.Join(", ", addresses.Select(a => a.ToString()))}): " +
                "it is not a public address (set Fetching:AllowPrivateNetworks=true to allow private networks).");
        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last!;
    }
}

public sealed class BlockedAddressException(string message) : Exception(message);
