using System.Text.RegularExpressions;
using Aggregator.Core.Model;

namespace Aggregator.Core.Feeds;

/// <summary>
/// A feed added without a name is named after its host (its URL, from the CLI) until a poll reads the feed's own
/// title, which then names it; a name an operator gave is never replaced.
/// </summary>
public static partial class FeedNames
{
    public static string Default(string url) => new Uri(url).Host;

    public static bool IsDefault(Feed feed) => feed.Name == Default(feed.Url) || feed.Name == feed.Url;

    /// <summary>A feed's title as a name: one line, trimmed, at most <see cref="FeedDefaults.MaxNameLength"/> characters; null when empty.</summary>
    public static string? FromTitle(string? title)
    {
        var name = Whitespace().Replace(title ?? "", " ").Trim();
        return name.Length == 0 ? null : name.Length <= FeedDefaults.MaxNameLength ? name : name[..(FeedDefaults.MaxNameLength - 1)].TrimEnd() + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
