using System.Text.Json;

namespace Aggregator.Core.Extraction;

/// <summary>What a page's JSON-LD says about its article (schema.org Article and its kinds, found anywhere in the graph).</summary>
internal sealed record StructuredData(string? Headline, string? ArticleBody, string? Author, string? DatePublished)
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static StructuredData From(IEnumerable<string> scripts)
    {
        string? headline = null, body = null, author = null, published = null;
        foreach (var script in scripts)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(script, Options);
            }
            catch (JsonException)
            {
                continue; // a broken script says nothing; the page still does
            }
            using (document)
            {
                foreach (var item in Objects(document.RootElement))
                {
                    if (item.TryGetProperty("articleBody", out var articleBody) && articleBody.ValueKind == JsonValueKind.String &&
                        articleBody.GetString() is { } text && text.Length > (body?.Length ?? 0))
                        body = text;
                    if (!IsArticle(item)) continue;
                    headline ??= String(item, "headline");
                    published ??= String(item, "datePublished");
                    author ??= AuthorName(item);
                }
            }
        }
        return new StructuredData(headline, body, author, published);
    }

    /// <summary>Every object in the document, walked with an explicit stack (JsonDocument caps nesting at 64 anyway).</summary>
    private static IEnumerable<JsonElement> Objects(JsonElement root)
    {
        var pending = new Stack<JsonElement>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var element = pending.Pop();
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var child in element.EnumerateArray()) pending.Push(child);
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                yield return element;
                foreach (var property in element.EnumerateObject())
                    if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) pending.Push(property.Value);
            }
        }
    }

    private static bool IsArticle(JsonElement item)
    {
        if (!item.TryGetProperty("@type", out var type)) return false;
        return type.ValueKind switch
        {
            JsonValueKind.String => IsArticleType(type.GetString()),
            JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && IsArticleType(t.GetString())),
            _ => false,
        };
    }

    private static bool IsArticleType(string? type) =>
        type is not null && (type.EndsWith("Article", StringComparison.Ordinal) || type is "BlogPosting" or "Report" or "LiveBlogPosting" or "SocialMediaPosting");

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text.Trim() : null;

    private static string? AuthorName(JsonElement item)
    {
        if (!item.TryGetProperty("author", out var author)) return null;
        var people = author.ValueKind == JsonValueKind.Array ? author.EnumerateArray().ToList() : [author];
        var names = people
            .Select(p => p.ValueKind == JsonValueKind.String ? p.GetString() : p.ValueKind == JsonValueKind.Object ? String(p, "name") : null)
            .Where(n => !string.IsNullOrWhiteSpace(n))
            .ToList();
        return names.Count == 0 ? null : string.Join(", ", names);
    }
}
