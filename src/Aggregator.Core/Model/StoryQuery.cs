namespace Aggregator.Core.Model;

public enum StorySort { Published, Relevance }

/// <summary>A validated story search; built by the API or CLI, run by the store.</summary>
public sealed record StoryQuery
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public SearchExpression? Text { get; init; }
    public long? FeedId { get; init; }
    /// <summary>Only stories in this language (an ISO 639-1 code, lower case).</summary>
    public string? Language { get; init; }
    /// <summary>
    /// Entity filters; each is the set of entity ids one id, name or alias resolved to. A story matches a filter when
    /// it mentions any of its ids; it must match every filter, or any one when <see cref="MatchAny"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<long>> EntityFilters { get; init; } = [];
    public bool MatchAny { get; init; }
    /// <summary>Only stories stored after this point, oldest first (dashboards polling for what is new).</summary>
    public IngestionCursor? Since { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public StorySort Sort { get; init; } = StorySort.Published;
    public int Limit { get; init; } = DefaultLimit;
    public StoryCursor? After { get; init; }

    /// <summary>Ranked by relevance: asked for, and there is text to rank by (otherwise newest first).</summary>
    public bool RanksByRelevance => Sort == StorySort.Relevance && Text is not null;
}

/// <param name="Next">The cursor for the following page; null on the last one.</param>
/// <param name="Since">A token for ?since= that returns the stories stored after this answer.</param>
public sealed record StoryPage(IReadOnlyList<StorySummary> Items, string? Next, string? Since = null);
