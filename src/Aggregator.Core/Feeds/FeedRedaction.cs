using System.Text.RegularExpressions;

namespace Aggregator.Core.Feeds;

/// <summary>
/// What readers without the operators' key may see of a feed: its URL without credentials (user:password@, secret
/// query values) and its last error without the names and addresses of other hosts (internal ones, mostly: a refused
/// address, a name lookup that failed inside the network).
/// </summary>
public static partial class FeedRedaction
{
    private const string Hidden = "***";

    public static string Url(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return url;
        var builder = new UriBuilder(uri);
        if (builder.UserName.Length > 0 || builder.Password.Length > 0) (builder.UserName, builder.Password) = ("", "");
        if (builder.Query.Length > 1) builder.Query = SecretQueryValue().Replace(builder.Query[1..], m => m.Groups["name"].Value + "=" + Hidden);
        if (uri.IsDefaultPort) builder.Port = -1;
        return builder.Uri.AbsoluteUri;
    }

    /// <param name="feedUrl">The feed's own host may stay: readers see it in the URL anyway.</param>
    public static string? Error(string? error, string feedUrl)
    {
        if (error is null) return null;
        var own = Uri.TryCreate(feedUrl, UriKind.Absolute, out var uri) ? uri.Host : null;
        var redacted = UrlWithCredentials().Replace(error, m => m.Groups["scheme"].Value + "://");
        redacted = IpAddress().Replace(redacted, "[address]");
        return HostName().Replace(redacted, m => string.Equals(m.Value, own, StringComparison.OrdinalIgnoreCase) ? m.Value : "[host]");
    }

    [GeneratedRegex(@"(?<name>[^&=]*(?:key|token|secret|passw(?:or)?d|pwd|auth|signature|sig|session|credential)[^&=]*)=[^&]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQueryValue();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*)://[^/\s@]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlWithCredentials();

    /// <summary>IPv4 dotted quads; IPv6 addresses in full or with "::" (so a time such as 01:40:25 is not one), zone included.</summary>
    [GeneratedRegex(@"\b\d{1,3}(?:\.\d{1,3}){3}\b|\[?(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?:%\w+)?\]?|\[?[0-9a-f:]*::[0-9a-f:.]*(?:%\w+)?\]?", RegexOptions.IgnoreCase)]
    private static partial Regex IpAddress();

    /// <summary>
    /// Dotted lower-case names whose last label starts with a letter (so "1.5 s" is no name, nor "XmlReader.Create"
    /// in an exception's message: feed hosts are stored in lower case), and localhost.
    /// </summary>
    [GeneratedRegex(@"\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}\b|\blocalhost\b")]
    private static partial Regex HostName();
}
