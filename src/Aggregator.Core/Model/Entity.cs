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
    DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen)
{
    /// <summary>The entity this one was merged into: its id answers for that one since.</summary>
    public long? MergedInto { get; init; }
    /// <summary>Not an entity, an analyst said: out of lists, trends and co-occurrences, its mentions hidden.</summary>
    public bool Ignored { get; init; }
    /// <summary>Named, typed or split off by an analyst: its exact name is never taken for a short form of another.</summary>
    public bool Curated { get; init; }
}

/// <summary>A live entity as resolution knows it: names, reach and when it was last seen.</summary>
public sealed record DirectoryEntry(
    long Id, string Name, EntityType Type, IReadOnlyList<string> Aliases, long Stories, DateTimeOffset LastSeen, bool Ignored, bool Curated);

/// <param name="EditVersion">Counts edits and undos: a change means entities were merged, renamed or split since.</param>
/// <param name="LastEntityId">The newest entity.</param>
public sealed record EntityChanges(long EditVersion, long LastEntityId);

public sealed record EntityDirectoryLoad(IReadOnlyList<DirectoryEntry> Entries, EntityChanges Changes);

public enum EntityEditKind { Merge, Update, Split }

/// <summary>
/// An analyst's change to the entities, as the edit log lists it. <paramref name="OtherId"/> is the target of a merge
/// or the entity a split made.
/// </summary>
public sealed record EntityEdit(
    long Id, DateTimeOffset At, string Actor, EntityEditKind Kind, long EntityId, long? OtherId, string Summary,
    DateTimeOffset? UndoneAt, string? UndoneBy);

/// <summary>What a PATCH changes: any of the canonical name, the type, and whether it is an entity at all.</summary>
public sealed record EntityPatch(string? Name, EntityType? Type, bool? Ignored)
{
    public bool IsEmpty => Name is null && Type is null && Ignored is null;
}

/// <summary>The edit cannot be made (or undone) as things are: the message says why and what to do instead.</summary>
public sealed class EntityEditConflictException(string message) : Exception(message);

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
