using Aggregator.Core.Model;
using Aggregator.Nlp;

namespace Aggregator.Core.Tagging;

public sealed record StoryTags(IReadOnlyList<StoryMention> Mentions, string Version);

/// <summary>
/// The tagging stage: entities of a story's title and text. Both are tagged as one document, so a name spelt out in the
/// text gives the headline's surname its full canonical name too.
/// </summary>
public sealed class StoryTagger(NerPipeline pipeline)
{
    private const string Separator = "\n\n";

    public string Version => pipeline.ModelVersion;

    public StoryTags Tag(string title, string text)
    {
        var document = title + Separator + text;
        var textStart = title.Length + Separator.Length;
        var mentions = pipeline.Tag(document)
            .Where(m => m.End <= title.Length || m.Start >= textStart)
            .Select(m => m.Start < textStart
                ? new StoryMention(StoryField.Title, m.Start, m.End, m.Type, m.Text, m.Canonical)
                : new StoryMention(StoryField.Text, m.Start - textStart, m.End - textStart, m.Type, m.Text, m.Canonical))
            .ToList();
        return new StoryTags(mentions, pipeline.ModelVersion);
    }
}
