using Aggregator.Core.Languages;
using Microsoft.Extensions.Options;

namespace Aggregator.Tests.Languages;

/// <summary>The language stage on its own: what the words say, and when the feed's declaration decides.</summary>
public sealed class LanguageDetectionTests
{
    private static LanguageDetection Detection(bool detect = true) => new(Options.Create(new LanguageOptions { Detect = detect }));

    [Fact]
    public void Each_story_is_detected_in_its_own_language()
    {
        var detection = Detection();
        var all = Stories.NotEnglish.Prepend(Stories.English).ToList();

        Assert.Equal(all.Select(s => s.Language), all.Select(s => detection.Decide(s.Title, s.Text, declared: null)));
    }

    [Fact]
    public void The_declared_language_does_not_override_clear_evidence()
    {
        var detection = Detection();

        Assert.Equal("en", detection.Decide(Stories.English.Title, Stories.English.Text, "de"));
        Assert.Equal("de", detection.Decide(Stories.German.Title, Stories.German.Text, "en-GB"));
        Assert.Equal("fr", detection.Decide(Stories.French.Title, Stories.French.Text, "es"));
    }

    [Fact]
    public void The_declared_language_decides_when_the_words_are_too_few_and_else_the_language_is_unknown()
    {
        var detection = Detection();

        Assert.Equal("de", detection.Decide("Haushalt beschlossen", "", "de-DE"));
        Assert.Equal("pt", detection.Decide("Lula em Brasília", "Lula.", "pt_BR"));
        Assert.Null(detection.Decide("Haushalt beschlossen", "", null));
        Assert.Null(detection.Decide("Haushalt beschlossen", "", "x-klingon"));
        Assert.Null(detection.Decide("", "", null));
    }

    [Fact]
    public void Names_and_capitalised_headlines_do_not_make_an_english_results_table_foreign()
    {
        const string title = "SQUASH - NORDIC OPEN QUARTER-FINAL RESULTS";
        const string text = """
            Tomas Berglund (Sweden) beat Karel Novak (Czech Republic) 15-9 15-11 9-15 15-7
            Henrik Aalto (Finland) beat Jaroslav Dvorak (Slovakia) 15-12 15-8 15-10
            Mikkel Sørensen (Denmark) beat Stefan Ionescu (Romania) 11-15 15-9 15-13 15-6
            Lars Haugen (Norway) beat Dragan Petrovic (Serbia) 15-4 15-7 15-9
            """;

        Assert.Contains(Detection().Decide(title, text, declared: null), new[] { null, "en" });
        Assert.Equal("en", Detection().Decide(title, text, "en"));
    }

    [Fact]
    public void A_story_in_another_language_quoting_english_keeps_its_language()
    {
        // English's own small words settle most stories at once; a quoted English slogan is not enough of them.
        var detection = Detection();

        Assert.Equal("de", detection.Decide("Streik bei der Bahn",
            "Die Gewerkschaft rief am Montag zu einem neuen Streik auf. Auf den Plakaten stand \"the end of the line\", "
            + "und viele Pendler mussten auf Busse ausweichen, weil kaum ein Zug fuhr.", declared: null));
        Assert.Equal("en", detection.Decide("Rail strike", "The union called a new strike on Monday, and commuters said "
            + "that they would have to work from home for the rest of the week.", declared: "de"));
    }

    [Fact]
    public void A_word_repeated_counts_once_as_evidence()
    {
        var table = string.Join("\n", Enumerable.Repeat("Q3 loss widens, shrs 12.4 vs 11.9", 10));

        Assert.Null(Detection().Decide("RESULTS", table, declared: null));
        Assert.Equal("en", Detection().Decide("RESULTS", table, "en"));
    }

    [Fact]
    public void Switched_off_the_declared_language_alone_decides()
    {
        var detection = Detection(detect: false);

        Assert.Equal("de", detection.Decide(Stories.English.Title, Stories.English.Text, "de"));
        Assert.Null(detection.Decide(Stories.German.Title, Stories.German.Text, null));
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("EN", "en")]
    [InlineData(" de ", "de")]
    [InlineData("en-US", "en")]
    [InlineData("pt_BR", "pt")]
    [InlineData("de-DE-1996", "de")]
    [InlineData("zh-Hant-TW", "zh")]
    [InlineData("English", null)]
    [InlineData("x-klingon", null)]
    [InlineData("xx", null)]
    [InlineData("eng", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_declared_language_tag_names_its_iso_639_1_language(string? declared, string? code) =>
        Assert.Equal(code, LanguageCode.FromDeclared(declared));

    [Theory]
    [InlineData("de", "de")]
    [InlineData("DE", "de")]
    [InlineData("xx", null)]
    [InlineData("de-AT", null)]
    [InlineData("deu", null)]
    [InlineData("d", null)]
    public void Only_iso_639_1_codes_parse(string code, string? parsed) => Assert.Equal(parsed, LanguageCode.Parse(code));
}
