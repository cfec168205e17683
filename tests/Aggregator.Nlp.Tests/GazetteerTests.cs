using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Tests;

public class GazetteerTests
{
    private static readonly Gazetteer Gaz = Gazetteer.Load(TestPaths.TestGazetteer);

    private static (string Token, GazetteerMatch Match)[] Match(string text)
    {
        var tokens = Tokenizer.Tokenize(text);
        var lower = new ulong[tokens.Length];
        var exact = new ulong[tokens.Length];
        Gazetteer.HashTokens(text, tokens, lower, exact);
        var result = new GazetteerMatch[tokens.Length];
        Gaz.Match(lower, exact, result);
        return tokens.Select((t, i) => (t.Text(text), result[i])).ToArray();
    }

    private static uint Bit(GazetteerList l) => 1u << (int)l;

    [Fact]
    public void Longest_multi_word_match_wins_with_bilu_positions()
    {
        var m = Match("He read The New York Times in New York City and York.");
        Assert.Equal(("The", GazetteerPosition.Begin), (m[2].Token, m[2].Match.Position));
        Assert.Equal(GazetteerPosition.Inside, m[3].Match.Position);
        Assert.Equal(GazetteerPosition.Inside, m[4].Match.Position);
        Assert.Equal(("Times", GazetteerPosition.Last), (m[5].Token, m[5].Match.Position));
        Assert.Equal(Bit(GazetteerList.OrgMedia), m[3].Match.Lists);
        // "New York City" (city) beats "New York".
        Assert.Equal([GazetteerPosition.Begin, GazetteerPosition.Inside, GazetteerPosition.Last], m[7..10].Select(x => x.Match.Position));
        Assert.Equal(Bit(GazetteerList.City), m[9].Match.Lists);
        Assert.Equal((GazetteerPosition.Unit, Bit(GazetteerList.City)), (m[11].Match.Position, m[11].Match.Lists));
        Assert.Equal(GazetteerPosition.None, m[0].Match.Position);
        // Unigram lists are reported even inside a longer match ("York" alone is a city).
        Assert.Equal(Bit(GazetteerList.City), m[4].Match.UnigramLists);
    }

    [Fact]
    public void Matching_is_case_insensitive_with_an_exact_case_flag()
    {
        var upper = Match("TALIBAN FIGHTERS ENTER KABUL");
        Assert.Equal(Bit(GazetteerList.OrgMilitant), upper[0].Match.Lists);
        Assert.Equal(0u, upper[0].Match.ExactLists);
        var normal = Match("Taliban fighters enter Kabul");
        Assert.Equal(Bit(GazetteerList.OrgMilitant), normal[0].Match.ExactLists);
        Assert.Equal(Bit(GazetteerList.City), normal[3].Match.ExactLists);
    }

    [Fact]
    public void Entries_are_tokenised_like_text_and_the_leading_article_is_dropped()
    {
        var m = Match("officials in the U.S. said the Taliban's leader");
        Assert.Equal(("U.S.", GazetteerPosition.Unit), (m[3].Token, m[3].Match.Position));
        Assert.Equal(GazetteerPosition.None, m[5].Match.Position); // "the" is not part of "the Taliban"
        Assert.Equal(("Taliban", GazetteerPosition.Unit), (m[6].Token, m[6].Match.Position));
        Assert.Equal(GazetteerPosition.None, m[7].Match.Position); // 's
    }

    [Fact]
    public void Lookup_returns_canonical_names_and_unknown_lists_are_warned_about()
    {
        Assert.Contains((GazetteerList.Country, "United States"), Gaz.Lookup("U.S.")!);
        Assert.Contains((GazetteerList.OrgMilitant, "Taliban"), Gaz.Lookup("the Taliban".Replace("the ", ""))!);
        Assert.Null(Gaz.Lookup("Atlantis"));
        Assert.Contains(Gaz.Warnings, w => w.Contains("bogus_list"));
    }
}
