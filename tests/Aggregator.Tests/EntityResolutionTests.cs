using Aggregator.Core.Entities;
using Aggregator.Core.Model;
using Aggregator.Nlp;

namespace Aggregator.Tests;

/// <summary>The resolution rules on a hand-built index of stored entities (no store, no tagger).</summary>
public class EntityResolutionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly EntityRules Rules = new();

    private static EntityIndex Index(params DirectoryEntry[] entries)
    {
        var index = new EntityIndex();
        foreach (var entry in entries) index.Add(entry);
        return index;
    }

    private static DirectoryEntry Entry(string name, EntityType type, long stories, params string[] aliases) =>
        new(0, name, type, [name, .. aliases], stories, Now.AddDays(-1), Ignored: false, Curated: false);

    private static StoryMention Mention(string canonical, EntityType type, string? text = null) =>
        new(StoryField.Text, 0, (text ?? canonical).Length, type, text ?? canonical, canonical);

    /// <summary>The (canonical, type) each mention resolves to.</summary>
    private static List<(string, EntityType)> Resolve(EntityIndex index, params StoryMention[] mentions) =>
        Rules.Resolve(index, mentions, Now).Select(m => (m.Canonical, m.Type)).ToList();

    [Fact]
    public void A_surname_alone_joins_the_person_it_belongs_to_by_alias_or_by_the_end_of_the_name()
    {
        var index = Index(Entry("Donald Trump", EntityType.Person, 55, "Trump"), Entry("Vladimir Putin", EntityType.Person, 20),
            Entry("Ursula von der Leyen", EntityType.Person, 9), Entry("Bashar al-Assad", EntityType.Person, 4));

        Assert.Equal([("Donald Trump", EntityType.Person)], Resolve(index, Mention("Trump", EntityType.Person)));
        Assert.Equal([("Vladimir Putin", EntityType.Person)], Resolve(index, Mention("PUTIN", EntityType.Person)));
        Assert.Equal([("Ursula von der Leyen", EntityType.Person)], Resolve(index, Mention("von der Leyen", EntityType.Person)));
        Assert.Equal([("Bashar al-Assad", EntityType.Person)], Resolve(index, Mention("Assad", EntityType.Person)));
        Assert.Equal([("Bashar al-Assad", EntityType.Person)], Resolve(index, Mention("al-Assad", EntityType.Person)));
        Assert.Equal([("Vladimir", EntityType.Person)], Resolve(index, Mention("Vladimir", EntityType.Person))); // a given name alone: no
        Assert.Equal([("Putin", EntityType.Organization)], Resolve(index, Mention("Putin", EntityType.Organization))); // people's names are for people
    }

    [Fact]
    public void An_ambiguous_short_form_stays_its_own_entity_unless_one_candidate_dominates()
    {
        var johnsons = Index(Entry("Boris Johnson", EntityType.Person, 40), Entry("Dwayne Johnson", EntityType.Person, 30));
        var trumps = Index(Entry("Donald Trump", EntityType.Person, 60, "Trump"), Entry("Melania Trump", EntityType.Person, 5, "Trump"),
            Entry("Donald Trump Jr.", EntityType.Person, 12));

        Assert.Equal([("Johnson", EntityType.Person)], Resolve(johnsons, Mention("Johnson", EntityType.Person)));
        Assert.Equal([("Donald Trump", EntityType.Person)], Resolve(trumps, Mention("Trump", EntityType.Person)));
    }

    [Fact]
    public void Short_forms_join_only_entities_seen_within_the_window_of_the_story()
    {
        var index = Index(Entry("Vladimir Putin", EntityType.Person, 20) with { LastSeen = Now.AddDays(-40) });

        Assert.Equal([("Putin", EntityType.Person)], Resolve(index, Mention("Putin", EntityType.Person)));
        Assert.Equal([("Vladimir Putin", EntityType.Person)],
            Rules.Resolve(index, [Mention("Putin", EntityType.Person)], Now.AddDays(-35)).Select(m => (m.Canonical, m.Type)));
    }

    [Fact]
    public void An_entity_named_by_a_surname_alone_gives_way_to_the_full_name_unless_an_analyst_named_it()
    {
        var fragment = Index(Entry("Trump", EntityType.Person, 39), Entry("Donald Trump", EntityType.Person, 5));
        var curated = Index(Entry("Trump", EntityType.Person, 3) with { Curated = true }, Entry("Donald Trump", EntityType.Person, 55, "Trump"));

        Assert.Equal([("Donald Trump", EntityType.Person)], Resolve(fragment, Mention("Trump", EntityType.Person)));
        Assert.Equal([("Trump", EntityType.Person)], Resolve(curated, Mention("Trump", EntityType.Person)));
    }

    [Fact]
    public void First_and_last_name_and_the_name_with_a_middle_join_whichever_of_them_has_the_stories()
    {
        var index = Index(Entry("Donald J. Trump", EntityType.Person, 12));
        var established = Index(Entry("Donald J. Trump", EntityType.Person, 2), Entry("Donald Trump", EntityType.Person, 50));

        Assert.Equal([("Donald J. Trump", EntityType.Person)], Resolve(index, Mention("Donald Trump", EntityType.Person)));
        Assert.Equal([("Donald Trump", EntityType.Person)], Resolve(established, Mention("Donald Trump", EntityType.Person)));
        Assert.Equal([("Hunter Trump", EntityType.Person)], Resolve(index, Mention("Hunter Trump", EntityType.Person)));
        Assert.Equal([("Donald Trump", EntityType.Person)], Resolve(established, Mention("Donald J. Trump", EntityType.Person))); // and the other way
        Assert.Equal([("Donald J. Trump", EntityType.Person)], Resolve(index, Mention("Donald J. Trump", EntityType.Person)));
    }

    [Fact]
    public void Acronyms_join_the_organisation_or_place_they_spell_and_names_match_without_the_accents_case_or_a_leading_the()
    {
        var index = Index(Entry("African National Congress", EntityType.Organization, 8), Entry("Cote d'Ivoire", EntityType.Location, 6, "Ivory Coast"),
            Entry("Guardian", EntityType.Organization, 3), Entry("Bank of England", EntityType.Organization, 4));

        Assert.Equal([("African National Congress", EntityType.Organization)], Resolve(index, Mention("ANC", EntityType.Organization)));
        Assert.Equal([("Bank of England", EntityType.Organization)], Resolve(index, Mention("BE", EntityType.Organization)));
        Assert.Equal([("Cote d'Ivoire", EntityType.Location)], Resolve(index, Mention("Côte d’Ivoire", EntityType.Location)));
        Assert.Equal([("Cote d'Ivoire", EntityType.Location)], Resolve(index, Mention("IVORY COAST", EntityType.Location)));
        Assert.Equal([("Guardian", EntityType.Organization)], Resolve(index, Mention("The Guardian", EntityType.Organization)));
        Assert.Equal([("ANC", EntityType.Location)], Resolve(index, Mention("ANC", EntityType.Location)));
    }

    [Fact]
    public void A_type_conflict_goes_to_the_dominant_type_unless_the_story_insists()
    {
        var index = Index(Entry("Mac", EntityType.Person, 12), Entry("Jordan", EntityType.Location, 40), Entry("Jordan", EntityType.Person, 2));
        var orgs = Enumerable.Range(0, 3).Select(_ => Mention("Mac", EntityType.Organization)).ToArray();

        Assert.Equal([("Mac", EntityType.Person)], Resolve(index, Mention("Mac", EntityType.Organization)));
        Assert.Equal(Enumerable.Repeat(("Mac", EntityType.Organization), 3), Resolve(index, orgs)); // three times: the story's own type
        Assert.Equal([("Jordan", EntityType.Location)], Resolve(index, Mention("Jordan", EntityType.Person))); // the twin of 2 stories is dominated
        // One story calling a name two things: its mentions go together, under the type most of them have.
        Assert.Equal([("Acme", EntityType.Organization), ("Acme", EntityType.Organization)],
            Resolve(Index(), Mention("Acme", EntityType.Organization), Mention("ACME", EntityType.Person)));
        // Said as often under both types: the type whose entity of the name has more stories, whichever came first.
        var lumenware = Index(Entry("Lumenware", EntityType.Organization, 2), Entry("Lumenware", EntityType.Location, 1));
        Assert.Equal([("Lumenware", EntityType.Organization), ("Lumenware", EntityType.Organization)],
            Resolve(lumenware, Mention("Lumenware", EntityType.Location), Mention("Lumenware", EntityType.Organization)));
    }

    [Fact]
    public void Mentions_of_an_ignored_entity_are_dropped_and_it_is_no_target_for_short_forms()
    {
        var index = Index(Entry("Mac", EntityType.Person, 12) with { Ignored = true }, Entry("Boris Johnson", EntityType.Person, 20) with { Ignored = true });

        Assert.Equal([("Kabul", EntityType.Location)], Resolve(index, Mention("Mac", EntityType.Person), Mention("Kabul", EntityType.Location)));
        Assert.Equal([("Johnson", EntityType.Person)], Resolve(index, Mention("Johnson", EntityType.Person)));
        Assert.Equal([("Mac", EntityType.Organization)], Resolve(index, Mention("Mac", EntityType.Organization))); // another type: not ignored
    }

    [Fact]
    public void What_a_stored_story_names_is_known_to_the_next()
    {
        var index = new EntityIndex();
        Assert.Equal([("Putin", EntityType.Person)], Resolve(index, Mention("Putin", EntityType.Person)));

        index.Observe([Mention("Vladimir Putin", EntityType.Person), Mention("Vladimir Putin", EntityType.Person, "Putin")], Now.AddHours(-1));

        Assert.Equal([("Vladimir Putin", EntityType.Person)], Resolve(index, Mention("Putin", EntityType.Person)));
    }

    [Fact]
    public void Keys_fold_case_accents_dots_hyphens_apostrophes_and_a_leading_the()
    {
        Assert.Equal("cote d'ivoire", EntityKey.Of("Côte d’Ivoire"));
        Assert.Equal("us", EntityKey.Of("U.S."));
        Assert.Equal("nana akufo addo", EntityKey.Of("Nana  Akufo-Addo"));
        Assert.Equal("guardian", EntityKey.Of("The Guardian"));
        Assert.Equal("lodz", EntityKey.Of("Łódź"));
        Assert.Equal("theatre royal", EntityKey.Of("Theatre Royal"));
    }
}
