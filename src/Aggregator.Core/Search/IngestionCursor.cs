namespace Aggregator.Core.Model;

/// <summary>
/// A point in ingestion order: (first-seen time in Unix ms, story id). Stories stored later sort after it whatever their
/// publication time, which is what a dashboard asking "what is new since I last looked" needs.
/// </summary>
public sealed record IngestionCursor(long FirstSeenMs, long StoryId)
{
    public string Encode() => OpaqueToken.Encode($"s{FirstSeenMs}.{StoryId}");

    /// <exception cref="FormatException">The token was not made by <see cref="Encode"/>.</exception>
    public static IngestionCursor Decode(string token)
    {
        var raw = OpaqueToken.Decode(token);
        var dot = raw?.IndexOf('.') ?? -1;
        if (raw is not { Length: >= 4 } || raw[0] != 's' || dot < 2
            || !long.TryParse(raw.AsSpan(1, dot - 1), out var firstSeen) || !long.TryParse(raw.AsSpan(dot + 1), out var id) || firstSeen < 0)
            throw new FormatException("since is not valid: pass back the 'since' value of a previous answer.");
        return new IngestionCursor(firstSeen, id);
    }
}
