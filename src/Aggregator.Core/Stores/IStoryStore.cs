using Aggregator.Core.Model;

namespace Aggregator.Core.Stores;

public enum SaveResult { Stored, Duplicate }

public enum StoreCondition { Ready, Unreachable, Full }

/// <summary>A story an incoming item already became, and whether this feed is already linked to it under the item's GUID.</summary>
public sealed record ExistingStory(long StoryId, bool InThisFeed);

/// <summary>A stored story as re-tagging needs it, with its stored language (the hint for deciding it again).</summary>
public sealed record StoryToTag(long Id, string Title, string Text, DateTimeOffset Published, string? Language);

public interface IStoryStore
{
    /// <summary>
    /// The story an item already became: same GUID in this feed, or else the same identifying canonical link (pass
    /// null when the item's link does not identify it, <see cref="NewStory.LinkIdentifies"/>) on a story this feed
    /// does not carry under another GUID — within a feed the GUID is the identity; "g" and "g &lt;more&gt;" (a GUID the
    /// feed began to reuse, told apart by its link) count as one.
    /// </summary>
    Task<ExistingStory?> FindExistingAsync(long feedId, string guid, string? canonicalLink, CancellationToken ct = default);

    /// <summary>Records that the feed carries an existing story under this GUID, with the feed's own title for it.</summary>
    Task LinkAsync(long feedId, string guid, string? itemTitle, long storyId, CancellationToken ct = default);

    /// <summary>
    /// Stores the story in one short transaction, unless an equal one (GUID in feed, identifying link or content
    /// hash) is already there, in which case the feed is linked to that one. Safe against concurrent writers.
    /// </summary>
    Task<(long StoryId, SaveResult Result)> SaveAsync(NewStory story, CancellationToken ct = default);

    /// <summary>As <see cref="SaveAsync"/> for many stories in one transaction: all stored or none (a poll's prepared stories, imports).</summary>
    Task<IReadOnlyList<(long StoryId, SaveResult Result)>> SaveManyAsync(IReadOnlyList<NewStory> stories, CancellationToken ct = default);

    /// <summary>Replaces a story's mentions (re-tagging after a model change) and records the tagger version, language and tagging status.</summary>
    Task ReplaceTagsAsync(long storyId, StoryTags tags, CancellationToken ct = default);

    /// <summary>
    /// Stories not tagged by this tagger version or without a tagging status (stored before languages were detected),
    /// every story when the version is null, in id order after <paramref name="afterId"/>.
    /// </summary>
    Task<IReadOnlyList<StoryToTag>> UntaggedAsync(string? taggerVersion, long afterId, int limit, CancellationToken ct = default);

    Task<StoryPage> SearchAsync(StoryQuery query, CancellationToken ct = default);
    Task<Story?> GetAsync(long id, CancellationToken ct = default);
    /// <summary>Whether the store can be read and written (a small write is tried, at most every Storage:ProbeInterval).</summary>
    Task<StoreCondition> ConditionAsync(CancellationToken ct = default);

    /// <summary>A number that changes whenever anything a reader can see changes (stories, feeds, tags), and when.</summary>
    Task<(long Version, DateTimeOffset Changed)> VersionAsync(CancellationToken ct = default);

    Task<Stats> StatsAsync(DateTimeOffset now, CancellationToken ct = default);
}
