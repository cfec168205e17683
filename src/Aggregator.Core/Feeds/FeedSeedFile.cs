using System.Text.Json;
using Aggregator.Core.Model;

namespace Aggregator.Core.Feeds;

/// <summary>Reads feeds.json: an array of { "name", "url", "intervalMinutes"?, "tags"? }.</summary>
public static class FeedSeedFile
{
    private sealed record Entry(string? Name, string? Url, int? IntervalMinutes, List<string>? Tags);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <exception cref="InvalidDataException">The file is not a JSON array of feeds; the message names the bad entry.</exception>
    public static IReadOnlyList<FeedDefinition> Read(Stream json)
    {
        List<Entry>? entries;
        try { entries = JsonSerializer.Deserialize<List<Entry>>(json, Options); }
        catch (JsonException e) { throw new InvalidDataException($"The feed seed file is not a JSON array of feeds: {e.Message}", e); }
        var feeds = new List<FeedDefinition>();
        foreach (var (entry, index) in (entries ?? []).Select((e, i) => (e, i)))
        {
            if (!FeedUrl.TryNormalize(entry.Url, out var url, out var error))
                throw new InvalidDataException($"Feed #{index + 1} in the seed file: {error}");
            feeds.Add(new FeedDefinition(url, entry.Name, entry.IntervalMinutes, entry.Tags));
        }
        return feeds;
    }
}
