using System.Text.RegularExpressions;
using Aggregator.Core.Model;

namespace Aggregator.Core.Feeds;

/// <summary>
/// A feed added without a name is named after its host (its URL, from the CLI) until a poll reads the feed's own
/// title, which then names it; a name an operator gave is never replaced.
/// </summary>
public static partial class FeedNames
{
    public const int MaxLength = 200;

    public static string Default(string url) => new Uri(url).Host;

    public static bool IsDefault(Feed feed) => feed.Name == Default(feed.Url) || feed.Name == feed.Url;

    /// <summary>A feed's title as a name: one line, trimmed, at most <see cref="MaxLength"/> characters; null when empty.</summary>
    public static string? FromTitle(string? title)
    {
        var name = Whitespace().Replace(title ?? "", " ").Trim();
        return name.Length == 0 ? null : name.Length <= MaxLength ? name : name[..MaxLength].TrimEnd() + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
