using Aggregator.Nlp;

namespace Aggregator.Core.Model;

/// <summary>An entity across stories, with how often it was mentioned and in how many stories.</summary>
public sealed record EntitySummary(long Id, string Name, EntityType Type, long Mentions, long Stories);

public sealed record EntityQuery
{
    public EntityType? Type { get; init; }
    /// <summary>Matches names and aliases starting with this text, case-insensitive.</summary>
    public string? Prefix { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 50;
}

public enum SeriesInterval { Hour, Day }

/// <summary>An entity with what an analyst asks first: aliases, reach, first and last appearance.</summary>
public sealed record EntityDetail(
    long Id, string Name, EntityType Type, IReadOnlyList<string> Aliases, long Mentions, long Stories,
    DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen);

public sealed record SeriesPoint(DateTimeOffset Time, long Mentions, long Stories);

/// <summary>
/// An entity seen in the same stories as another. Lift = P(both) / (P(a) P(b)) over stories: 1 means no more often
/// than chance; it corrects for sheer frequency, which the raw count (Stories) does not. Pmi = log2(lift).
/// </summary>
public sealed record Cooccurrence(long Id, string Name, EntityType Type, long Stories, double Lift, double Pmi);

public sealed record TrendEvidence(long Id, string Title, DateTimeOffset Published);

/// <summary>
/// A rising entity: WindowCount stories in the window against BaselineRate, its average stories per window-length over
/// the baseline period; Score = (WindowCount - BaselineRate) / sqrt(BaselineRate + 1).
/// </summary>
public sealed record Trend(long Id, string Name, EntityType Type, double Score, long WindowCount, double BaselineRate, IReadOnlyList<TrendEvidence> Evidence);

public sealed record Stats(long Stories, long Feeds, long Entities, long FailingFeeds, IReadOnlyList<HourCount> PerHour);

public sealed record HourCount(DateTimeOffset Hour, long Stories);
