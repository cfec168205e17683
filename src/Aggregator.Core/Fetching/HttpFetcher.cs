using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Aggregator.Core.Fetching;

public enum FetchKind { Feed, Page }

/// <summary>
/// All HTTP semantics of the service in one place: conditional GET, size cap counted after decompression,
/// a total time budget that also ends stalled bodies, Retry-After, and the error kinds operators see.
/// Retries of transient failures and the address guard live in the named client (see <see cref="FetchingServices"/>).
/// </summary>
public sealed class HttpFetcher(IHttpClientFactory clients, IOptions<FetchingOptions> options)
{
    public const string ClientName = "aggregator";

    private static readonly MediaTypeWithQualityHeaderValue[] FeedAccept =
    [
        new("application/rss+xml"), new("application/atom+xml"), new("application/feed+json"),
        new("application/xml", 0.9), new("text/xml", 0.9), new("*/*", 0.5),
    ];
    private static readonly MediaTypeWithQualityHeaderValue[] PageAccept =
    [
        new("text/html"), new("application/xhtml+xml", 0.9), new("*/*", 0.5),
    ];

    public async Task<FetchResult> FetchAsync(Uri url, FetchKind kind, Validators? validators = null, CancellationToken ct = default)
    {
        var settings = options.Value;
        var maxBytes = kind == FetchKind.Feed ? settings.MaxFeedBytes : settings.MaxPageBytes;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var accept in kind == FetchKind.Feed ? FeedAccept : PageAccept) request.Headers.Accept.Add(accept);
        if (validators?.ETag is { } etag) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (validators?.LastModified is { } lastModified) request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);

        var client = clients.CreateClient(ClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, budget.Token);
            var finalUrl = response.RequestMessage?.RequestUri ?? url;
            var status = (int)response.StatusCode;
            var newValidators = new Validators(
                response.Headers.ETag?.ToString(),
                response.Content.Headers.LastModified?.ToString("R"));
            if (response.StatusCode == HttpStatusCode.NotModified)
                return new FetchResult { Status = status, FinalUrl = finalUrl, Validators = validators ?? newValidators };
            if (status is >= 300 and < 400)
                throw new FetchException(FetchFailure.TooManyRedirects,
                    $"HTTP {status}: redirect not followed (more than {settings.MaxRedirects} redirects, a loop, or a redirect to another scheme).", status);
            if (!response.IsSuccessStatusCode)
                throw new FetchException(FetchFailure.Http, $"HTTP {status} {response.ReasonPhrase}".TrimEnd(), status, RetryAfter(response));
            var body = await ReadCappedAsync(response.Content, maxBytes, budget.Token);
            return new FetchResult
            {
                Status = status,
                Body = body,
                ContentType = response.Content.Headers.ContentType?.MediaType,
                Charset = response.Content.Headers.ContentType?.CharSet,
                FinalUrl = finalUrl,
                Validators = newValidators,
            };
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new FetchException(FetchFailure.Timeout, $"Timed out after {settings.Timeout.TotalSeconds:0.#} s.", inner: e);
        }
        catch (HttpRequestException e) when (FindBlocked(e) is { } blocked)
        {
            throw new FetchException(FetchFailure.Blocked, blocked.Message, inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new FetchException(FetchFailure.Network, $"Network error: {Innermost(e).Message}", inner: e);
        }
        catch (IOException e)
        {
            throw new FetchException(FetchFailure.Network, $"Network error while reading the body: {Innermost(e).Message}", inner: e);
        }
        catch (InvalidDataException e)
        {
            throw new FetchException(FetchFailure.Network, $"The body could not be decompressed: {e.Message}", inner: e);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        if (content.Headers.ContentLength is { } declared && declared > maxBytes && content.Headers.ContentEncoding.Count == 0)
            throw TooLarge(maxBytes);
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static FetchException TooLarge(long maxBytes) =>
        new(FetchFailure.TooLarge, $"The response is larger than the cap of {maxBytes / 1024} KiB (counted after decompression).");

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    private static BlockedAddressException? FindBlocked(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is BlockedAddressException blocked) return blocked;
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
