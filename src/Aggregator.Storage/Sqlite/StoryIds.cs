namespace Aggregator.Storage.Sqlite;

/// <summary>
/// Story ids encode publication time: published Unix ms * 1024 + a sequence within that millisecond. Newest-first
/// order, date ranges and keyset cursors all become rowid ranges, which both the table and its FTS index walk
/// without sorting (the figure that matters at a million stories). Ids stay below 2^53, safe in JSON numbers.
/// </summary>
internal static class StoryIds
{
    public const long PerMillisecond = 1024;

    /// <summary>The ids of one hour: story id / PerHour is the hour of publication (Unix ms / 3,600,000).</summary>
    public const long PerHour = PerMillisecond * 3_600_000;

    public static long First(DateTimeOffset published) => published.ToUnixTimeMilliseconds() * PerMillisecond;

    public static DateTimeOffset Published(long storyId) => DateTimeOffset.FromUnixTimeMilliseconds(storyId / PerMillisecond);
}
