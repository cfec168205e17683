namespace Aggregator.Core.Model;

/// <summary>
/// Where a page of results ended. For the published order it is the last story id: ids follow publication
/// time, so "older than this id" stays stable while new stories arrive. For relevance it is an offset.
/// Sent to clients as an opaque token.
/// </summary>
public sealed record StoryCursor(StorySort Sort, long Position)
{
    public string Encode() => OpaqueToken.Encode($"{(Sort == StorySort.Published ? 'p' : 'r')}{Position}");

    /// <exception cref="FormatException">The token was not made by <see cref="Encode"/>.</exception>
    public static StoryCursor Decode(string token)
    {
        var raw = OpaqueToken.Decode(token);
        if (raw is not { Length: >= 2 } || (raw[0] != 'p' && raw[0] != 'r') || !long.TryParse(raw.AsSpan(1), out var position) || position < 0)
            throw new FormatException("The cursor is not valid: pass back the 'next' value of a previous page.");
        return new StoryCursor(raw[0] == 'p' ? StorySort.Published : StorySort.Relevance, position);
    }
}
