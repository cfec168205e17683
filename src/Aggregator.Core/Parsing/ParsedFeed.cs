namespace Aggregator.Core.Parsing;

/// <summary>One common model for every feed format.</summary>
public sealed record ParsedFeed(string Format, string? Title, string? Link, IReadOnlyList<ParsedItem> Items);

/// <summary>A feed entry as the feed states it; Summary and Content may hold HTML.</summary>
public sealed record ParsedItem
{
    public required string Guid { get; init; }
    public required string Title { get; init; }
    public string? Link { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Published { get; init; }
    public string? Summary { get; init; }
    public string? Content { get; init; }
}

public sealed class FeedParseException(string message, Exception? inner = null) : Exception(message, inner);
