namespace Aggregator.Core.Model;

/// <summary>A feed as operators see it: its settings and its polling health.</summary>
public sealed record Feed
{
    public long Id { get; init; }
    public required string Url { get; init; }
    public required string Name { get; init; }
    public int IntervalMinutes { get; init; } = FeedDefaults.IntervalMinutes;
    public bool Enabled { get; init; } = true;
    public IReadOnlyList<string> Tags { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public FeedHealth Health { get; init; } = new();
    public long StoryCount { get; init; }
}

/// <summary>What the last polls of a feed did; drives back-off and the operators' view.</summary>
public sealed record FeedHealth
{
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public int? LastStatus { get; init; }
    public string? LastError { get; init; }
    public int ConsecutiveFailures { get; init; }
    /// <summary>Earliest time the next scheduled poll may run (back-off or Retry-After); null when due on schedule.</summary>
    public DateTimeOffset? NotBefore { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public string? Format { get; init; }
}

public static class FeedDefaults
{
    public const int IntervalMinutes = 15;
    public const int MinIntervalMinutes = 1;
    public const int MaxIntervalMinutes = 24 * 60;
    public const int MaxNameLength = 200;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    /// <summary>Longer URLs are not feeds anyone subscribes to, and would not fit a database index.</summary>
    public const int MaxUrlLength = 2_048;
}

/// <summary>A feed to create: from feeds.json, the API, OPML or the CLI.</summary>
public sealed record FeedDefinition(string Url, string? Name, int? IntervalMinutes = null, IReadOnlyList<string>? Tags = null);

/// <summary>Changes an operator may make to a feed; null leaves a field as it is.</summary>
public sealed record FeedPatch(string? Name, int? IntervalMinutes, bool? Enabled, IReadOnlyList<string>? Tags = null);
