namespace Aggregator.Core.Feeds;

/// <summary>Validation and one normal form for feed URLs, so that the same feed is never added twice.</summary>
public static class FeedUrl
{
    /// <summary>Parses an absolute http(s) URL and normalises it: lower-case scheme and host, no default port, no fragment.</summary>
    public static bool TryNormalize(string? input, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "The feed URL is missing.";
            return false;
        }
        if (input.Length > Model.FeedDefaults.MaxUrlLength)
        {
            error = $"The feed URL is longer than {Model.FeedDefaults.MaxUrlLength:N0} characters.";
            return false;
        }
        if (!Uri.TryCreate(input.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"'{input}' is not an absolute http or https URL.";
            return false;
        }
        if (string.IsNullOrEmpty(uri.Host))
        {
            error = $"'{input}' has no host.";
            return false;
        }
        var builder = new UriBuilder(uri) { Fragment = "", Host = uri.Host.ToLowerInvariant() };
        if (uri.IsDefaultPort) builder.Port = -1;
        normalized = builder.Uri.AbsoluteUri;
        return true;
    }
}
