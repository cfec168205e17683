namespace Aggregator.Core.Ingestion;

/// <summary>Configuration section "Ingestion".</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>
    /// At most this many new items are stored by one poll (the newest first, as feeds list them); the rest wait for
    /// the following polls, which fetch the document in full until none is left.
    /// </summary>
    public int MaxItemsPerPoll { get; set; } = 200;
    /// <summary>Article pages fetched and extracted at once within one poll.</summary>
    public int ArticleConcurrency { get; set; } = 4;
    public bool FetchArticles { get; set; } = true;
    /// <summary>Longest stored text, in characters.</summary>
    public int MaxTextLength { get; set; } = 100_000;
    /// <summary>How long a worker's claim on a feed lasts unless renewed (it is renewed every third of this while polling).</summary>
    public TimeSpan PollLease { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Back-off after consecutive failures doubles from the feed's interval up to this; polling never stops for good.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(6);
}
