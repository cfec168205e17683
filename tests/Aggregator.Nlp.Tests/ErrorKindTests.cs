using Aggregator.Nlp.Training;

namespace Aggregator.Nlp.Tests;

/// <summary>
/// The kinds of error real news exposed (issue 11), one theory per kind, on text written for these tests (never seen
/// in training: the corpus holds other text). Each case is corpus markup: the tagger must find exactly the marked
/// entities, with their types and boundaries, and nothing else.
/// </summary>
public class ErrorKindTests
{
    private static NerPipeline P => NerPipeline.Default;

    private static void AssertTagged(string markup)
    {
        Assert.True(CorpusLoader.TryParse(markup, out var text, out var gold, out var error), error);
        var found = P.Tag(text).Select(m => $"{EntityTypes.ToShort(m.Type)} {m.Text}").ToList();
        var expected = gold.Select(s => $"{EntityTypes.ToShort(s.Type)} {text[s.Start..s.End]}").ToList();
        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData("However, the ceasefire talks in [LOC Cairo] broke up without an agreement on Sunday.")]
    [InlineData("Meanwhile, the river kept rising in the south of [LOC Bavaria].")]
    [InlineData("We're not going anywhere, said [PER Halima Diriye-Osman], who has run the clinic since 2009.")]
    [InlineData("We’re delighted to open our first store in [LOC Porto] next month.")]
    [InlineData("Still, officials in [LOC Nairobi] said the plan would go ahead.")]
    [InlineData("Analysis: Why [LOC Chile]'s copper boom may be ending")]
    [InlineData("Update: Power restored to most homes after the storm")]
    public void Words_capitalised_for_their_position_are_not_names(string markup) => AssertTagged(markup);

    [Theory]
    [InlineData("[PER Taddeo Lindqvist-Mbeki], a marine biologist, said the reef had lost half its coral.")]
    [InlineData("Shares of [ORG Quornwell Systems] jumped 9% after the chipmaker raised its forecast.")]
    [InlineData("[PER Oyelaran] told reporters the deal with [ORG Brightmoor Capital] would close in March.")]
    [InlineData("The contract went to [ORG Halvorsen Maritime AS], a shipbuilder based in [LOC Bergen].")]
    public void Names_in_no_list_are_found_from_their_context(string markup) => AssertTagged(markup);

    [Theory]
    [InlineData("[ORG Arsenal] beat [ORG Feyenoord] 3-1 at the [LOC Emirates Stadium] on Wednesday.")]
    [InlineData("[LOC Morocco] beat [LOC Portugal] 1-0 to reach the semi-finals.")]
    [InlineData("[ORG Sevilla] 2 [ORG Valencia] 2")]
    public void Sport_clubs_are_organisations_and_national_sides_places(string markup) => AssertTagged(markup);

    [Theory]
    [InlineData("[LOC Russia] said it would respond, and the [LOC Kremlin] called the sanctions illegal.")]
    [InlineData("The [LOC White House] declined to comment on the report.")]
    [InlineData("[LOC Beijing] warned [LOC Washington] against further tariffs.")]
    public void Countries_capitals_and_seats_of_power_are_places(string markup) => AssertTagged(markup);

    [Theory]
    [InlineData("[PER Ingrid Solvang] won the vote in [LOC Oslo]. [PER Solvang] will take office in January.")]
    public void A_surname_after_its_full_name_is_the_same_person(string markup) => AssertTagged(markup);

    [Theory]
    [InlineData("But [PER Merkel] said the compromise was fair.")]
    [InlineData("When [PER Sanchez] arrived, the crowd cheered.")]
    [InlineData("[PER Lavrov]’s remarks angered [LOC Kyiv].")]
    [InlineData("Prime Minister [PER Jean-Luc Perrault] met President [PER Ama Ofori] in [LOC Accra].")]
    [InlineData("[LOC KABUL] ([ORG Reuters]) - The [ORG Taliban] named [PER Abdul Wali Nuri] governor of [LOC Herat] - the third this year.")]
    public void Boundaries_leave_out_function_words_titles_possessives_and_dashes(string markup) => AssertTagged(markup);

    [Theory]
    [InlineData("The London-based group said Kremlin-backed hackers had attacked U.S.-led forces.")]
    [InlineData("[ORG Apple] unveiled the iPhone 17 and a new version of iOS.")]
    [InlineData("The CEO told TV reporters the URL in the PDF was wrong.")]
    [InlineData("She won the Nobel Prize in 2019 and spoke about the Paris Agreement.")]
    [InlineData("FILE PHOTO: Workers walk past the headquarters of [ORG Petrobras] in [LOC Rio de Janeiro].")]
    public void Products_events_compounds_acronyms_and_furniture_are_not_names(string markup) => AssertTagged(markup);

    [Theory]
    [InlineData("[ORG TALIBAN] NAME NEW ENVOY TO [LOC QATAR]")]
    [InlineData("[LOC NAIROBI], May 4 ([ORG Reuters]) - [LOC Kenya]'s central bank held rates on Tuesday.")]
    public void Capitals_headlines_and_datelines_are_tagged_like_running_text(string markup) => AssertTagged(markup);
}
