namespace Aggregator.Core.Fetching;

/// <summary>Validators from an earlier response, for a conditional GET.</summary>
public sealed record Validators(string? ETag, string? LastModified);

public sealed record FetchResult
{
    public required int Status { get; init; }
    public bool NotModified => Status == 304;
    /// <summary>The decoded body (decompressed, within the size cap); empty on 304.</summary>
    public byte[] Body { get; init; } = [];
    public string? ContentType { get; init; }
    public string? Charset { get; init; }
    public required Uri FinalUrl { get; init; }
    public Validators Validators { get; init; } = new(null, null);
}

public enum FetchFailure { Http, Network, Timeout, TooLarge, Blocked, TooManyRedirects }

/// <summary>A fetch that did not give a usable response; the message is shown to operators as the feed's last error.</summary>
public sealed class FetchException(FetchFailure kind, string message, int? status = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FetchFailure Kind { get; } = kind;
    public int? Status { get; } = status;
    /// <summary>How long the server asked us to wait (429/503 Retry-After).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
