using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Tagging;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Tests;

/// <summary>Normalisation rules on hand-made tags (independent of the trained model).</summary>
public class NormalizerTests
{
    private static readonly Gazetteer Gaz = Gazetteer.Load(TestPaths.TestGazetteer);

    private static List<EntityMention> Normalize(string text, params (string Surface, int Occurrence, EntityType Type)[] entities)
    {
        var tokens = Tokenizer.Tokenize(text);
        var lower = tokens.Select(t => TokenHash.Lower(t.Span(text))).ToArray();
        var spans = new List<TokenSpan>();
        foreach (var (surface, occurrence, type) in entities)
        {
            int at = -1;
            for (int k = 0; k <= occurrence; k++) at = text.IndexOf(surface, at + 1, StringComparison.Ordinal);
            int s = Array.FindIndex(tokens, t => t.Start == at), e = Array.FindIndex(tokens, t => t.End == at + surface.Length);
            Assert.True(s >= 0 && e >= s, surface);
            spans.Add(new TokenSpan(s, e, type));
        }
        var tags = new byte[tokens.Length];
        Bilou.Encode(spans.OrderBy(x => x.StartToken), tags);
        return EntityNormalizer.Build(text, tokens, tags, lower, Gaz);
    }

    [Fact]
    public void Surname_and_given_name_alone_map_to_the_full_name()
    {
        const string text = "Sergei Lavrov met Anna Smith. Lavrov said Anna agreed, Smith said.";
        var m = Normalize(text, ("Sergei Lavrov", 0, EntityType.Person), ("Anna Smith", 0, EntityType.Person),
            ("Lavrov", 1, EntityType.Person), ("Anna", 1, EntityType.Person), ("Smith", 1, EntityType.Person));
        Assert.Equal(["Sergei Lavrov", "Anna Smith", "Sergei Lavrov", "Anna Smith", "Anna Smith"], m.Select(x => x.Canonical));
        Assert.Equal("Lavrov", m[2].Text);
        Assert.Equal((30, 36), (m[2].Start, m[2].End));
    }

    [Fact]
    public void Other_parts_of_long_names_map_to_the_full_name()
    {
        const string text = "Luiz Inacio Lula da Silva met Toyota Motor Corp. executives. Lula said Toyota would invest.";
        var m = Normalize(text, ("Luiz Inacio Lula da Silva", 0, EntityType.Person), ("Toyota Motor Corp.", 0, EntityType.Organization),
            ("Lula", 1, EntityType.Person), ("Toyota", 1, EntityType.Organization));
        Assert.Equal(["Luiz Inacio Lula da Silva", "Toyota Motor Corp.", "Luiz Inacio Lula da Silva", "Toyota Motor Corp."], m.Select(x => x.Canonical));
    }

    [Fact]
    public void Acronyms_map_to_their_expansion_and_gazetteer_aliases_to_the_canonical()
    {
        const string text = "The Islamic State and the World Food Programme warned the U.S. and UN. IS denied it, WFP said.";
        var m = Normalize(text, ("Islamic State", 0, EntityType.Organization), ("World Food Programme", 0, EntityType.Organization),
            ("U.S.", 0, EntityType.Location), ("UN", 0, EntityType.Organization), ("IS", 0, EntityType.Organization),
            ("WFP", 0, EntityType.Organization));
        Assert.Equal(["Islamic State", "World Food Programme", "United States", "United Nations", "Islamic State", "World Food Programme"],
            m.Select(x => x.Canonical));
        Assert.Equal("U.S.", m[2].Text);
    }

    [Fact]
    public void Possessive_and_leading_article_are_removed_and_headline_capitals_take_the_normal_spelling()
    {
        const string text = "TALIBAN NAME ENVOY\nThe Taliban's envoy arrived.";
        var m = Normalize(text, ("TALIBAN", 0, EntityType.Organization), ("The Taliban's", 0, EntityType.Organization));
        Assert.Equal("Taliban", m[0].Canonical);
        Assert.Equal("The Taliban", m[1].Text); // the trailing 's is never part of a mention
        Assert.Equal("Taliban", m[1].Canonical);
    }

    [Fact]
    public void Unknown_names_keep_their_text_with_whitespace_collapsed()
    {
        const string text = "Acme\nWidgets said.";
        var m = Normalize(text, ("Acme\nWidgets", 0, EntityType.Organization));
        Assert.Equal("Acme Widgets", m[0].Canonical);
        Assert.Equal("Acme\nWidgets", m[0].Text);
    }

    [Fact]
    public void A_hyphenated_surname_in_the_title_maps_to_the_full_name_in_the_text()
    {
        const string text = "Akufo-Addo wins second term\n\nNana Akufo-Addo thanked voters.";
        var m = Normalize(text, ("Akufo-Addo", 0, EntityType.Person), ("Nana Akufo-Addo", 0, EntityType.Person));
        Assert.Equal(["Nana Akufo-Addo", "Nana Akufo-Addo"], m.Select(x => x.Canonical));
        Assert.Equal("Akufo-Addo", m[0].Text);
    }

    [Fact]
    public void First_and_last_name_without_the_middle_and_the_end_of_a_long_name_map_to_the_full_name()
    {
        const string text = "Donald J. Trump met Luiz Inacio Lula da Silva. Donald Trump said Lula da Silva agreed; Donald Smith did not.";
        var m = Normalize(text, ("Donald J. Trump", 0, EntityType.Person), ("Luiz Inacio Lula da Silva", 0, EntityType.Person),
            ("Donald Trump", 0, EntityType.Person), ("Lula da Silva", 1, EntityType.Person), ("Donald Smith", 0, EntityType.Person));
        Assert.Equal(["Donald J. Trump", "Luiz Inacio Lula da Silva", "Donald J. Trump", "Luiz Inacio Lula da Silva", "Donald Smith"],
            m.Select(x => x.Canonical));
    }

    [Fact]
    public void Countries_tagged_as_organisations_are_the_country_as_a_location()
    {
        const string text = "The US, UK, UAE and Ivory Coast backed the US Treasury plan; Jordan, the company, and the United Nations did not.";
        var m = Normalize(text, ("US", 0, EntityType.Organization), ("UK", 0, EntityType.Organization), ("UAE", 0, EntityType.Organization),
            ("Ivory Coast", 0, EntityType.Organization), ("US Treasury", 0, EntityType.Organization), ("Jordan", 0, EntityType.Organization),
            ("United Nations", 0, EntityType.Organization));
        Assert.Equal(
            [
                ("United States", EntityType.Location), ("United Kingdom", EntityType.Location), ("United Arab Emirates", EntityType.Location),
                ("Cote d'Ivoire", EntityType.Location), ("US Treasury", EntityType.Organization),
                ("Jordan", EntityType.Organization), // a company's name too: the tagger's type stands
                ("United Nations", EntityType.Organization),
            ],
            m.Select(x => (x.Canonical, x.Type)));
    }
}
