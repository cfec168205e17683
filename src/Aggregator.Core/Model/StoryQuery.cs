namespace Aggregator.Core.Model;

public enum StorySort { Published, Relevance }

/// <summary>A validated story search; built by the API or CLI, run by the store.</summary>
public sealed record StoryQuery
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public SearchExpression? Text { get; init; }
    public long? FeedId { get; init; }
    /// <summary>Stories mentioning any of these entities (the ids one name or alias resolved to).</summary>
    public IReadOnlyList<long>? EntityIds { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public StorySort Sort { get; init; } = StorySort.Published;
    public int Limit { get; init; } = DefaultLimit;
    public StoryCursor? After { get; init; }
}

public sealed record StoryPage(IReadOnlyList<StorySummary> Items, string? Next);
