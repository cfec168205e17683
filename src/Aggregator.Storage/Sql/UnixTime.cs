namespace Aggregator.Storage.Sql;

/// <summary>Times are stored as Unix milliseconds (UTC): compact, and they compare as numbers.</summary>
internal static class UnixTime
{
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
