namespace Aggregator.Core.Parsing;

/// <summary>One common model for every feed format.</summary>
public sealed record ParsedFeed(string Format, string? Title, string? Link, IReadOnlyList<ParsedItem> Items)
{
    /// <summary>Set when the document broke off and only the items complete before the break were read.</summary>
    public string? Warning { get; init; }
}

/// <summary>A feed entry as the feed states it: Title and Author are plain text, Summary and Content HTML.</summary>
public sealed record ParsedItem
{
    /// <summary>The entry's id; else its link; else a hash of what it says.</summary>
    public required string Guid { get; init; }
    /// <summary>Whether the feed gave the entry an id (else <see cref="Guid"/> is derived).</summary>
    public bool HasId { get; init; }
    public required string Title { get; init; }
    public string? Link { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Published { get; init; }
    public string? Summary { get; init; }
    public string? Content { get; init; }
    /// <summary>The language the feed declares for the entry (its own, else the feed's), as written, e.g. "en-us": a hint.</summary>
    public string? Language { get; init; }

    /// <summary>Nothing to store and nothing to tell it apart by: no title, link, summary or content.</summary>
    public bool IsEmpty => Title.Length == 0 && Link is null && Summary is null && Content is null;
}

public sealed class FeedParseException(string message, Exception? inner = null) : Exception(message, inner);
