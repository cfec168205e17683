using System.Text.Json;

namespace Aggregator.Core.Extraction;

/// <summary>What a page's JSON-LD says about its article (schema.org Article and its kinds, found anywhere in the graph).</summary>
internal sealed record StructuredData(string? Headline, string? ArticleBody, string? Author, string? DatePublished)
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// The article the JSON-LD describes: the one whose url, @id or mainEntityOfPage is this page when one says so
    /// (a page may also describe the articles it links to), else the one with the longest body.
    /// </summary>
    public static StructuredData From(IEnumerable<string> scripts, Uri pageUrl)
    {
        var articles = new List<(StructuredData Data, bool ThisPage)>();
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
                    var body = String(item, "articleBody");
                    if (body is null && !IsArticle(item)) continue;
                    articles.Add((new StructuredData(String(item, "headline"), body, AuthorName(item), String(item, "datePublished")), IsAbout(item, pageUrl)));
                }
            }
        }
        if (articles.Count == 0) return new StructuredData(null, null, null, null);
        var chosen = articles.OrderByDescending(a => a.ThisPage).ThenByDescending(a => a.Data.ArticleBody?.Length ?? -1).First().Data;
        var fallback = articles.Select(a => a.Data).ToList();
        return new StructuredData(
            chosen.Headline ?? fallback.Select(a => a.Headline).FirstOrDefault(h => h is not null),
            chosen.ArticleBody,
            chosen.Author ?? fallback.Select(a => a.Author).FirstOrDefault(h => h is not null),
            chosen.DatePublished ?? fallback.Select(a => a.DatePublished).FirstOrDefault(h => h is not null));
    }

    private static bool IsAbout(JsonElement item, Uri pageUrl)
    {
        foreach (var name in new[] { "url", "@id", "mainEntityOfPage" })
        {
            if (!item.TryGetProperty(name, out var value)) continue;
            var address = value.ValueKind == JsonValueKind.Object ? String(value, "@id") : value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (Uri.TryCreate(pageUrl, address, out var uri) && SamePage(uri, pageUrl)) return true;
        }
        return false;
    }

    private static bool SamePage(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.AbsolutePath.TrimEnd('/') == b.AbsolutePath.TrimEnd('/');

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
