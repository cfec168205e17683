namespace Aggregator.Core.Ingestion;

public enum PollOutcome { Ingested, NotModified, Failed, Skipped }

/// <summary>An item of the document that was neither stored nor found stored, and why.</summary>
/// <param name="Item">Its link, else its GUID, else what little it has.</param>
public sealed record SkippedItem(string Item, string Reason);

/// <summary>
/// What one poll did; the CLI prints it as JSON and the feed's health is derived from it. Every item of the document
/// is accounted for: <c>Items = Stored + Duplicates + Deferred + Skipped.Count</c>.
/// </summary>
public sealed record IngestionReport
{
    public required string Feed { get; init; }
    public string? Format { get; init; }
    /// <summary>Entries in the document.</summary>
    public int Items { get; init; }
    public int Stored { get; init; }
    /// <summary>Items that are stories already stored (by this feed or another), or listed twice in the document.</summary>
    public int Duplicates { get; init; }
    /// <summary>New items beyond the per-poll cap: the following polls store them.</summary>
    public int Deferred { get; init; }
    public IReadOnlyList<SkippedItem> Skipped { get; init; } = [];
    /// <summary>Items that could not be stored (a database error, after retries); the next poll reads them again.</summary>
    public int Failed { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public PollOutcome Outcome { get; init; }
    /// <summary>Items were left for later (deferred, failed) or the document broke off: the next poll must not be answered 304.</summary>
    public bool FetchAgainInFull { get; init; }
}
