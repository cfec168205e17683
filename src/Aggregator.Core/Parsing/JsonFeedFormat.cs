using System.Text;
using System.Text.Json;

namespace Aggregator.Core.Parsing;

/// <summary>
/// JSON Feed 1.0 and 1.1, read item by item with a streaming reader so that a document that breaks off keeps the
/// complete items before the break (one whole-document parse would lose them all).
/// </summary>
internal static class JsonFeedFormat
{
    private static readonly JsonReaderOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    /// <returns>The feed, and why reading stopped early when it did.</returns>
    /// <exception cref="FeedParseException">Not JSON, or JSON but no feed.</exception>
    public static (RawFeed Feed, string? Break) Read(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, Options);
        string? title = null, link = null, version = null, language = null, error = null;
        var entries = new List<RawEntry>();
        var sawItems = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new FeedParseException("The document is JSON but not a feed: a JSON Feed is an object.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "title" when reader.TokenType == JsonTokenType.String: title = reader.GetString(); break;
                    case "home_page_url" when reader.TokenType == JsonTokenType.String: link = reader.GetString(); break;
                    case "version" when reader.TokenType == JsonTokenType.String: version = reader.GetString(); break;
                    case "language" when reader.TokenType == JsonTokenType.String: language = reader.GetString(); break;
                    case "items" when reader.TokenType == JsonTokenType.StartArray:
                        sawItems = true;
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            var start = (int)reader.TokenStartIndex;
                            reader.Skip();
                            using var item = JsonDocument.Parse(bytes.AsMemory(start, (int)reader.BytesConsumed - start));
                            if (item.RootElement.ValueKind == JsonValueKind.Object) entries.Add(Entry(item.RootElement));
                        }
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            if (entries.Count == 0 && !sawItems) throw new FeedParseException($"The document is not valid JSON: {e.Message}", e);
            error = $"The JSON breaks off: {e.Message}";
        }
        if (!sawItems && version?.Contains("jsonfeed.org", StringComparison.OrdinalIgnoreCase) != true)
            throw new FeedParseException("The document is JSON but not a feed: it has neither a JSON Feed version nor items.");
        // The feed's language may come after its items: items without their own take it at the end.
        var feedLanguage = NullIfBlank(language);
        return (new RawFeed("json-feed", FeedString.Plain(title), link, entries.Select(e => e with { Language = e.Language ?? feedLanguage }).ToList()), error);
    }

    private static RawEntry Entry(JsonElement item)
    {
        var author = Property(item, "author") is { ValueKind: JsonValueKind.Object } one ? String(one, "name")
            : Property(item, "authors") is { ValueKind: JsonValueKind.Array } many ? many.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.Object ? String(a, "name") : null).FirstOrDefault(n => n is not null)
            : null;
        return new RawEntry
        {
            // Version 1.0 allowed numbers as ids.
            Id = Property(item, "id") is { } id && id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? NullIfBlank(id.ToString()) : null,
            Title = FeedString.Plain(String(item, "title")),
            Link = String(item, "url") ?? String(item, "external_url"),
            Summary = FeedString.Plain(String(item, "summary")),
            Content = FeedString.Html(String(item, "content_html")) ?? FeedString.Plain(String(item, "content_text")),
            Dates = [String(item, "date_published"), String(item, "date_modified")],
            Author = author,
            Language = String(item, "language"),
        };
    }

    private static JsonElement? Property(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value : null;

    private static string? String(JsonElement item, string name) =>
        Property(item, name) is { ValueKind: JsonValueKind.String } value ? NullIfBlank(value.GetString()) : null;

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : TextRepair.Clean(text).Trim() is { Length: > 0 } clean ? clean : null;
}
