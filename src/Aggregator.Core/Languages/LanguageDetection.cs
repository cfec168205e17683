using System.Text;
using Lingua;
using Microsoft.Extensions.Options;
using static Lingua.Language;

namespace Aggregator.Core.Languages;

/// <summary>
/// The language stage: which language a story is written in, from its words, with the feed's declared language as a
/// hint that decides only when the words do not. An English story in a feed declaring "de" is English.
/// </summary>
public sealed class LanguageDetection
{
    /// <summary>
    /// The common languages of news feeds worldwide. Fewer candidates than Lingua's 79 make it faster and keep rarely
    /// met languages (Tagalog, Maori, Latin…) from being chosen for English text full of names; a story in a language
    /// not listed is detected as a neighbour of it, which is still not English.
    /// </summary>
    public static readonly IReadOnlyList<Language> NewsLanguages =
    [
        English, German, French, Spanish, Portuguese, Italian, Dutch, Polish, Turkish, Indonesian, Vietnamese, Swedish,
        Danish, Bokmal, Finnish, Czech, Romanian, Hungarian, Catalan, Croatian, Russian, Ukrainian, Bulgarian, Serbian,
        Arabic, Persian, Urdu, Hebrew, Hindi, Bengali, Chinese, Japanese, Korean, Greek, Thai,
    ];

    /// <summary>Letters of evidence the detector gets at most: more changes few answers and costs time.</summary>
    private const int SampleLength = 250;

    /// <summary>How far into the text the sample is looked for, so text without usable words costs no more.</summary>
    private const int ScanLength = 5_000;

    /// <summary>
    /// Below this many letters of evidence the words do not decide: on shorter samples Lingua's low-accuracy mode
    /// errs too often (a results table of English names read as Norwegian, say).
    /// </summary>
    private const int MinimumLetters = 40;

    private static readonly string ModelsDirectory = Path.Combine(AppContext.BaseDirectory, "Lingua", "LanguageModels");

    /// <summary>
    /// One detector per process, its models loaded when first asked for (≈ 2 s). Low-accuracy mode reads trigrams
    /// only, which is what Lingua reads for any text over 120 characters anyway, and keeps memory at ≈ 40 MB rather
    /// than ≈ 700 MB.
    /// </summary>
    private static readonly Lazy<LanguageDetector> Shared = new(() =>
    {
        var missing = NewsLanguages.Where(l => !File.Exists(Path.Combine(ModelsDirectory, l.IsoCode6391().ToString().ToLowerInvariant(), "unigrams.json.br"))).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"Lingua's language models are missing from {ModelsDirectory} ({string.Join(", ", missing)}): the build copies them there.");
        return LanguageDetectorBuilder.FromLanguages([.. NewsLanguages])
            .WithLowAccuracyMode()
            .WithLanguageModelsDirectory(ModelsDirectory)
            .WithPreloadedLanguageModels()
            .Build();
    });

    private readonly bool _detect;

    public LanguageDetection(IOptions<LanguageOptions> options) => _detect = options.Value.Detect;

    /// <summary>
    /// The story's language as an ISO 639-1 code: detected from its words when they decide, else the declared one
    /// (<see cref="LanguageCode.FromDeclared"/>), else null (unknown).
    /// </summary>
    public string? Decide(string title, string text, string? declared) =>
        (_detect ? Detect(title, text) : null) ?? LanguageCode.FromDeclared(declared);

    /// <summary>
    /// Small words that only English has among the news languages. Most stories are English, and four of these in the
    /// sample settle it without the detector (≈ 2 ms a story, the dearest step after extraction).
    /// </summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> EnglishOnlyWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "the", "and", "of", "to", "that", "with", "for", "from", "which", "said", "were", "their", "this", "have", "has",
        "been", "would", "after", "about", "into", "they", "will", "are", "but", "who", "its", "than", "when", "could",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    private const int EnglishOnlyWordsThatDecide = 4;

    /// <summary>The language the words show, or null when there are too few of them to tell.</summary>
    private static string? Detect(string title, string text)
    {
        var sample = Sample(title, text, out var letters);
        if (letters < MinimumLetters) return null;
        if (CountEnglishOnlyWords(sample) >= EnglishOnlyWordsThatDecide) return "en";
        var language = Shared.Value.DetectLanguageOf(sample);
        return language == Unknown ? null : language.IsoCode6391().ToString().ToLowerInvariant();
    }

    private static int CountEnglishOnlyWords(string sample)
    {
        int count = 0;
        foreach (var range in sample.AsSpan().Split(' '))
            if (EnglishOnlyWords.Contains(sample.AsSpan(range).TrimEnd(",.;:!?\"'’”)"))) count++;
        return count;
    }

    /// <summary>
    /// The words that tell a language: those not starting with a capital letter, each once. Names, acronyms and ALL-CAPS
    /// headlines are much the same in every language and mislead the n-grams (an English list of players and clubs
    /// reads as Croatian); every language has its small words in lower case, and scripts without case keep every word.
    /// A word met again adds no evidence (Lingua counts each n-gram once), so a table repeating "loss" is too little to tell.
    /// </summary>
    private static string Sample(string title, string text, out int letters)
    {
        var sample = new StringBuilder(SampleLength + 64);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        letters = 0;
        foreach (var source in (ReadOnlySpan<string>)[title, text.Length > ScanLength ? text[..ScanLength] : text])
        {
            foreach (var range in source.AsSpan().SplitAny(" \t\r\n"))
            {
                var word = source.AsSpan(range);
                var first = word.IndexOfAnyExcept(" \"'‘’“”«»„([¿¡-–—");
                if (first < 0 || char.IsUpper(word[first])) continue;
                var wordLetters = 0;
                foreach (var c in word) if (char.IsLetter(c)) wordLetters++;
                if (wordLetters == 0 || !seen.Add(word)) continue;
                sample.Append(word).Append(' ');
                letters += wordLetters;
                if (letters >= SampleLength) return sample.ToString();
            }
        }
        return sample.ToString();
    }
}
