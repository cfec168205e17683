namespace Aggregator.Core.Languages;

public sealed class LanguageOptions
{
    public const string Section = "Language";

    /// <summary>
    /// Detect each story's language from its text (Lingua's models of 35 languages, ≈ 40 MB). Off, the feed's declared
    /// language alone decides, and a story whose feed declares none is tagged as English.
    /// </summary>
    public bool Detect { get; set; } = true;
}
