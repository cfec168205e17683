namespace Aggregator.Core.Ingestion;

public enum PollOutcome { Ingested, NotModified, Failed, Skipped }

/// <summary>What one poll did; the CLI prints it as JSON and the feed's health is derived from it.</summary>
public sealed record IngestionReport
{
    public required string Feed { get; init; }
    public string? Format { get; init; }
    public int Items { get; init; }
    public int Stored { get; init; }
    public int Duplicates { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public PollOutcome Outcome { get; init; }
}
