using System.Buffers.Text;
using System.Text;

namespace Aggregator.Core.Model;

/// <summary>
/// A point in ingestion order: (first-seen time in Unix ms, story id). Stories stored later sort after it whatever their
/// publication time, which is what a dashboard asking "what is new since I last looked" needs.
/// </summary>
public sealed record IngestionCursor(long FirstSeenMs, long StoryId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"s{FirstSeenMs}.{StoryId}"));

    /// <exception cref="FormatException">The token was not made by <see cref="Encode"/>.</exception>
    public static IngestionCursor Decode(string token)
    {
        const string error = "since is not valid: pass back the 'since' value of a previous answer.";
        string raw;
        try { raw = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { throw new FormatException(error); }
        var dot = raw.IndexOf('.');
        if (raw.Length < 4 || raw[0] != 's' || dot < 2
            || !long.TryParse(raw.AsSpan(1, dot - 1), out var firstSeen) || !long.TryParse(raw.AsSpan(dot + 1), out var id) || firstSeen < 0)
            throw new FormatException(error);
        return new IngestionCursor(firstSeen, id);
    }
}
