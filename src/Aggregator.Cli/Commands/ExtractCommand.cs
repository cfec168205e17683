using Aggregator.Core.Extraction;
using Aggregator.Core.Fetching;
using Aggregator.Core.Parsing;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Commands;

/// <summary>aggregator extract &lt;html-file-or-url&gt; [--url ORIGINAL_URL]: the extraction stage alone, as ingestion runs it.</summary>
public static class ExtractCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        if (args.Positional.Count != 1) throw new ArgumentException("usage: aggregator extract <html-file-or-url> [--url ORIGINAL_URL]");
        var source = args.Positional[0];
        string html;
        Uri url;
        if (File.Exists(source))
        {
            (html, url) = await ReadPageAsync(source, args.Option("url"));
        }
        else
        {
            if (!Uri.TryCreate(source, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https"))
                throw new ArgumentException($"'{source}' is neither an existing file nor an http(s) URL.");
            var original = args.Option("url") is { } given ? OriginalUrl(given) : null;
            using var host = CliHost.Build();
            var fetched = await host.Services.GetRequiredService<HttpFetcher>().FetchAsync(page, FetchKind.Page);
            html = FeedText.DecodeHtml(fetched.Body, fetched.Charset);
            url = original ?? fetched.FinalUrl;
        }
        var article = ArticleExtractor.Extract(html, url);
        await stdout.WriteLineAsync(CliJson.Serialize(new
        {
            title = article.Title,
            byline = article.Byline,
            published = article.Published,
            text = article.Text,
            extraction = article.Path.ToString(),
        }));
        return 0;
    }

    /// <summary>A saved page decoded as ingestion decodes pages (BOM, meta charset, detection); its address is the original URL when known, else the file's.</summary>
    /// <exception cref="ArgumentException">The original URL is not an absolute http(s) URL.</exception>
    internal static async Task<(string Html, Uri Url)> ReadPageAsync(string path, string? originalUrl)
    {
        var html = FeedText.DecodeHtml(await File.ReadAllBytesAsync(path), null);
        return (html, originalUrl is { Length: > 0 } original ? OriginalUrl(original) : new Uri(Path.GetFullPath(path)));
    }

    /// <summary>The page's address on the web, which resolves its relative links.</summary>
    private static Uri OriginalUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ArgumentException($"--url '{value}' is not an absolute http(s) URL.");
}
