using Aggregator.Core.Languages;
using Aggregator.Core.Model;
using Aggregator.Nlp;

namespace Aggregator.Core.Tagging;

/// <summary>
/// The tagging stage: first the story's language (<see cref="LanguageDetection"/>), then, for English or an unknown
/// language, the entities of its title and text. The model is English: on other languages it tags ordinary words as
/// names, so those stories are stored without entities and say why. Title and text are tagged as one document, so a
/// name spelt out in the text gives the headline's surname its full canonical name too.
/// </summary>
public sealed class StoryTagger(NerPipeline pipeline, LanguageDetection languages)
{
    private const string Separator = "\n\n";

    public string Version => pipeline.ModelVersion;

    /// <param name="declaredLanguage">What the feed says the language is (e.g. "en-us"), or the stored language when re-tagging: a hint.</param>
    public StoryTags Tag(string title, string text, string? declaredLanguage)
    {
        var language = languages.Decide(title, text, declaredLanguage);
        if (language is not (null or LanguageCode.English))
            return new StoryTags([], pipeline.ModelVersion, language, TaggingStatus.SkippedForLanguage(language));

        var document = title + Separator + text;
        var textStart = title.Length + Separator.Length;
        var mentions = pipeline.Tag(document)
            .Where(m => m.End <= title.Length || m.Start >= textStart)
            .Select(m => m.Start < textStart
                ? new StoryMention(StoryField.Title, m.Start, m.End, m.Type, m.Text, m.Canonical)
                : new StoryMention(StoryField.Text, m.Start - textStart, m.End - textStart, m.Type, m.Text, m.Canonical))
            .ToList();
        return new StoryTags(mentions, pipeline.ModelVersion, language, TaggingStatus.Tagged);
    }
}
