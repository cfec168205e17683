using Aggregator.Nlp;

namespace Aggregator.Core.Model;

public enum ExtractionStatus
{
    /// <summary>Main text of the article page: the block its structure and paragraph scores point to.</summary>
    Extracted,
    /// <summary>The page's JSON-LD articleBody: long enough, whole, and in the page's own words.</summary>
    StructuredData,
    /// <summary>The element the page marks up as its article body (itemprop="articleBody"), cleaned.</summary>
    ArticleMarkup,
    /// <summary>The page's prose paragraphs: its main block was too short, or a list of dates or links.</summary>
    PageParagraphs,
    /// <summary>The page failed or its extraction was poor; the feed's own content or summary is used.</summary>
    FeedContent,
    /// <summary>Article fetching was switched off; the feed's own content or summary is used.</summary>
    NotAttempted,
}

/// <summary>A story ready to store: everything the pipeline learnt about one feed item.</summary>
public sealed record NewStory
{
    public required long FeedId { get; init; }
    /// <summary>The item's identity within its feed (its GUID, or GUID and link when the feed reuses GUIDs).</summary>
    public required string Guid { get; init; }
    /// <summary>The story's title: the article page's when it was extracted, else the item's.</summary>
    public required string Title { get; init; }
    /// <summary>The item's title in its feed, kept on the feed's link to the story; that feed's listing shows it.</summary>
    public string? ItemTitle { get; init; }
    public string? Link { get; init; }
    /// <summary>
    /// Whether the link is the item's alone, so that the same link from any feed is the same story. False when several
    /// items of the feed share it (a podcast's episodes all linking to its home page): then it identifies none of them.
    /// </summary>
    public bool LinkIdentifies { get; init; } = true;
    public string? Author { get; init; }
    public required DateTimeOffset Published { get; init; }
    public string? Summary { get; init; }
    public required string Text { get; init; }
    public required ExtractionStatus Extraction { get; init; }
    public required string ContentHash { get; init; }
    public IReadOnlyList<StoryMention> Mentions { get; init; } = [];
    public string? TaggerVersion { get; init; }
    /// <summary>ISO 639-1 code (e.g. "de"); null when unknown.</summary>
    public string? Language { get; init; }
    /// <summary>What tagging did and why (<see cref="TaggingStatus"/>); null when the story was not through the tagging stage.</summary>
    public string? Tagging { get; init; }
}

/// <summary>What the tagging stage made of a story: its mentions, the model, the language it decided and what it did.</summary>
public sealed record StoryTags(IReadOnlyList<StoryMention> Mentions, string Version, string? Language = null, string Tagging = TaggingStatus.Tagged);

/// <summary>The values of a story's tagging status: tagged, or skipped and why.</summary>
public static class TaggingStatus
{
    public const string Tagged = "tagged";

    /// <summary>Not tagged: the model tags English only.</summary>
    public static string SkippedForLanguage(string language) => $"skipped: language {language}";
}

/// <summary>One tagged mention; offsets index the title (Field = Title) or the text (Field = Text).</summary>
public sealed record StoryMention(StoryField Field, int Start, int End, EntityType Type, string Text, string Canonical)
{
    /// <summary>The stored entity it counts for (read back from the store; not set by tagging).</summary>
    public long? EntityId { get; init; }
}

public enum StoryField { Title, Text }

public sealed record FeedRef(long Id, string Name);

/// <summary>A search hit: what a list of stories shows.</summary>
public sealed record StorySummary
{
    public long Id { get; init; }
    public required string Title { get; init; }
    public string? Link { get; init; }
    public IReadOnlyList<FeedRef> Feeds { get; init; } = [];
    public DateTimeOffset Published { get; init; }
    /// <summary>ISO 639-1 code (e.g. "de"); null when unknown.</summary>
    public string? Language { get; init; }
    /// <summary>HTML-escaped text with &lt;mark&gt; around matched terms.</summary>
    public string? Snippet { get; init; }
}

/// <summary>The whole stored story.</summary>
public sealed record Story
{
    public long Id { get; init; }
    public required string Title { get; init; }
    public string? Link { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset Published { get; init; }
    public DateTimeOffset FirstSeen { get; init; }
    public string? Summary { get; init; }
    public required string Text { get; init; }
    public ExtractionStatus Extraction { get; init; }
    public IReadOnlyList<FeedRef> Feeds { get; init; } = [];
    public IReadOnlyList<StoryMention> Mentions { get; init; } = [];
    public string? TaggerVersion { get; init; }
    /// <summary>ISO 639-1 code (e.g. "de"); null when unknown (undecidable, or stored before languages were detected).</summary>
    public string? Language { get; init; }
    /// <summary>"tagged", or "skipped: language de"; null when stored before languages were detected (until retagged).</summary>
    public string? Tagging { get; init; }
}
