using Aggregator.Core.Model;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Tests.Stores;

/// <summary>
/// The editable entity layer on every provider: merge, rename, retype, ignore, split and their undoing, with counts,
/// hourly series, co-occurrences and story filters checked against a recount of the stories' mentions after each step.
/// </summary>
public abstract partial class StoreContractTests
{
    protected static readonly Named Trump = new("Trump", EntityType.Person);
    protected static readonly Named DonaldTrump = new("Donald Trump", EntityType.Person);

    private const string Analyst = "key 1234abcd (127.0.0.1)";

    /// <summary>
    /// Trump alone in two stories, Donald Trump alone in one, both (as two entities) in a third, all but the first with
    /// Kabul; and a story about Doha.
    /// </summary>
    private async Task<List<long>> TrumpCorpusAsync()
    {
        var wire = await FeedAsync("Wire");
        const string both = "Donald Trump met envoys in Kabul. Trump said the talks went well.";
        return
        [
            await StoreAsync(About(wire.Id, Base.AddHours(1), Trump)),
            await StoreAsync(About(wire.Id, Base.AddHours(2), DonaldTrump, Kabul)),
            await StoreAsync(Draft(wire.Id, Base.AddHours(3).AddMinutes(30), text: both) with
            {
                Mentions = Mentions(StoryField.Text, both, (DonaldTrump.Name, DonaldTrump.Name, EntityType.Person), (Kabul.Name, Kabul.Name, EntityType.Location),
                    (Trump.Name, Trump.Name, EntityType.Person)),
            }),
            await StoreAsync(About(wire.Id, Base.AddDays(1), Trump, Kabul, Trump)),
            await StoreAsync(About(wire.Id, Base.AddDays(2), Doha)),
        ];
    }

    /// <summary>
    /// Every entity's counters, hourly series, story filter and listing agree with a recount of what the stories
    /// mention now (each story's mentions read back under the entity they count for).
    /// </summary>
    private async Task AssertCountsExactAsync(IReadOnlyCollection<long> storyIds)
    {
        var mentions = new List<(long Story, string Name, EntityType Type, long Entity)>();
        foreach (var id in storyIds)
            mentions.AddRange((await Stories.GetAsync(id))!.Mentions.Select(m => (id, m.Canonical, m.Type, m.EntityId!.Value)));
        var expected = mentions.GroupBy(m => (m.Name, m.Type)).ToList();
        foreach (var entity in expected)
        {
            var id = Assert.Single(await Entities.ResolveAsync(entity.Key.Name, entity.Key.Type));
            Assert.All(entity, m => Assert.Equal(id, m.Entity));
            var detail = (await Entities.GetAsync(id))!;
            var stories = entity.Select(m => m.Story).Distinct().Order().ToList();
            Assert.Equal((entity.Key.Name, (long)entity.Count(), (long)stories.Count), (detail.Name, detail.Mentions, detail.Stories));
            var hours = await Entities.SeriesAsync(id, Base, Base.AddDays(3), SeriesInterval.Hour);
            var published = new Dictionary<long, DateTimeOffset>();
            foreach (var story in stories) published[story] = (await Stories.GetAsync(story))!.Published;
            Assert.Equal(
                hours.Select(h => (h.Time, (long)entity.Count(m => Within(published[m.Story], h.Time)), (long)stories.Count(s => Within(published[s], h.Time)))),
                hours.Select(h => (h.Time, h.Mentions, h.Stories)));
            Assert.Equal(stories.AsEnumerable().Reverse(), await IdsAsync(new StoryQuery { EntityFilters = [[id]], Limit = 100 }));
        }
        Assert.Equal(expected.Select(e => e.Key.Name).Order(), (await Entities.ListAsync(new EntityQuery { Limit = 500 })).Select(e => e.Name).Order());
        Assert.Equal(expected.Count, (await Stories.StatsAsync(DateTimeOffset.UtcNow)).Entities);

        static bool Within(DateTimeOffset time, DateTimeOffset hour) => time >= hour && time < hour.AddHours(1);
    }

    [SkippableFact]
    public async Task Merge_moves_mentions_counts_series_and_cooccurrences_and_undo_puts_them_back()
    {
        var stories = await TrumpCorpusAsync();
        var (trump, donald, kabul) = (await IdOfAsync(Trump), await IdOfAsync(DonaldTrump), await IdOfAsync(Kabul));
        var cooccurring = await Entities.CooccurrencesAsync(kabul, null, null, null, 10);
        await AssertCountsExactAsync(stories);

        var merge = await Entities.MergeAsync(trump, donald, Analyst);

        Assert.Equal((EntityEditKind.Merge, trump, (long?)donald, Analyst), (merge.Kind, merge.EntityId, merge.OtherId, merge.Actor));
        var merged = (await Entities.GetAsync(trump))!;
        Assert.Equal(donald, merged.MergedInto);
        Assert.Equal((6L, 4L), ((await Entities.GetAsync(donald))!.Mentions, (await Entities.GetAsync(donald))!.Stories));
        Assert.Contains("Trump", (await Entities.GetAsync(donald))!.Aliases);
        Assert.Equal([donald], await Entities.ResolveAsync("Trump", EntityType.Person)); // its names and its id answer for the target
        Assert.Equal([donald], await Entities.ResolveAsync(trump.ToString(), null));
        Assert.Equal(DonaldTrump.Name, (await Stories.GetAsync(stories[0]))!.Mentions.Single().Canonical);
        Assert.Equal([(DonaldTrump.Name, 3L)], (await Entities.CooccurrencesAsync(kabul, EntityType.Person, null, null, 10)).Select(c => (c.Name, c.Stories)));
        Assert.Equal([(Kabul.Name, 3L)], (await Entities.CooccurrencesAsync(donald, null, null, null, 10)).Select(c => (c.Name, c.Stories)));
        await AssertCountsExactAsync(stories);

        // A writer that still names the merged entity stores the mention under its target.
        var wire = (await Feeds.ListAsync())[0];
        stories.Add(await StoreAsync(About(wire.Id, Base.AddDays(1).AddHours(5), Trump)));
        Assert.Equal((7L, 5L), ((await Entities.GetAsync(donald))!.Mentions, (await Entities.GetAsync(donald))!.Stories));
        await AssertCountsExactAsync(stories);

        var undone = await Entities.UndoAsync(merge.Id, "127.0.0.1");

        Assert.Equal(("127.0.0.1", true), (undone.UndoneBy, undone.UndoneAt is not null));
        Assert.Null((await Entities.GetAsync(trump))!.MergedInto);
        Assert.Equal([trump], await Entities.ResolveAsync("Trump", EntityType.Person));
        Assert.Equal((4L, 3L), ((await Entities.GetAsync(trump))!.Mentions, (await Entities.GetAsync(trump))!.Stories));
        Assert.Equal(cooccurring.Select(c => (c.Name, c.Stories)), (await Entities.CooccurrencesAsync(kabul, null, null, null, 10)).Select(c => (c.Name, c.Stories)));
        await AssertCountsExactAsync(stories);
        await Assert.ThrowsAsync<EntityEditConflictException>(() => Entities.UndoAsync(merge.Id, Analyst)); // once only
    }

    [SkippableFact]
    public async Task Merging_refuses_itself_a_merged_entity_and_unknown_ids_and_merges_into_the_target_of_a_merged_one()
    {
        var stories = await TrumpCorpusAsync();
        var (trump, donald, kabul, doha) = (await IdOfAsync(Trump), await IdOfAsync(DonaldTrump), await IdOfAsync(Kabul), await IdOfAsync(Doha));

        await Assert.ThrowsAsync<ArgumentException>(() => Entities.MergeAsync(donald, donald, Analyst));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Entities.MergeAsync(donald, doha + 1000, Analyst));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Entities.MergeAsync(doha + 1000, donald, Analyst));
        await Entities.MergeAsync(trump, donald, Analyst);
        await Assert.ThrowsAsync<EntityEditConflictException>(() => Entities.MergeAsync(trump, kabul, Analyst));
        var second = await Entities.MergeAsync(doha, trump, Analyst); // into the merged entity: into its target

        Assert.Equal(donald, second.OtherId);
        Assert.Equal(donald, (await Entities.GetAsync(doha))!.MergedInto);
        await AssertCountsExactAsync(stories);
        // Undoing the first merge waits for the later one of the same entity.
        var first = (await Entities.EditsAsync(trump, 10)).Single(e => e.EntityId == trump);
        await Assert.ThrowsAsync<EntityEditConflictException>(() => Entities.UndoAsync(first.Id, Analyst));
        await Entities.UndoAsync(second.Id, Analyst);
        await Entities.UndoAsync(first.Id, Analyst);
        await AssertCountsExactAsync(stories);
    }

    [SkippableFact]
    public async Task Merged_entities_are_flattened_so_a_chain_of_merges_undoes_link_by_link()
    {
        var stories = await TrumpCorpusAsync();
        var (trump, donald, doha) = (await IdOfAsync(Trump), await IdOfAsync(DonaldTrump), await IdOfAsync(Doha));

        var first = await Entities.MergeAsync(trump, donald, Analyst);
        var second = await Entities.MergeAsync(donald, doha, Analyst); // Donald (with Trump in it) into Doha: nonsense, but allowed

        Assert.Equal((doha, doha), ((await Entities.GetAsync(trump))!.MergedInto, (await Entities.GetAsync(donald))!.MergedInto));
        Assert.Equal([doha], await Entities.ResolveAsync(trump.ToString(), null));
        await AssertCountsExactAsync(stories);
        await Entities.UndoAsync(second.Id, Analyst);
        Assert.Equal(donald, (await Entities.GetAsync(trump))!.MergedInto);
        await AssertCountsExactAsync(stories);
        await Entities.UndoAsync(first.Id, Analyst);
        await AssertCountsExactAsync(stories);
    }

    [SkippableFact]
    public async Task Rename_and_retype_keep_the_old_name_as_an_alias_refuse_a_taken_name_and_undo()
    {
        var stories = await TrumpCorpusAsync();
        var (trump, donald) = (await IdOfAsync(Trump), await IdOfAsync(DonaldTrump));

        await Assert.ThrowsAsync<EntityEditConflictException>(() => Entities.UpdateAsync(trump, new EntityPatch("donald TRUMP", null, null), Analyst));
        await Assert.ThrowsAsync<ArgumentException>(() => Entities.UpdateAsync(trump, new EntityPatch(null, null, null), Analyst));
        await Assert.ThrowsAsync<ArgumentException>(() => Entities.UpdateAsync(trump, new EntityPatch("  ", null, null), Analyst));
        await Assert.ThrowsAsync<ArgumentException>(() => Entities.UpdateAsync(trump, new EntityPatch("Trump", EntityType.Person, false), Analyst));
        var rename = await Entities.UpdateAsync(trump, new EntityPatch("Trump family", null, null), Analyst);
        var retype = await Entities.UpdateAsync(trump, new EntityPatch(null, EntityType.Organization, null), Analyst);

        var renamed = (await Entities.GetAsync(trump))!;
        Assert.Equal(("Trump family", EntityType.Organization, true), (renamed.Name, renamed.Type, renamed.Curated));
        Assert.Equal(["Trump", "Trump family"], renamed.Aliases.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal([trump], await Entities.ResolveAsync("Trump", EntityType.Organization));
        Assert.Equal(("Trump family", EntityType.Organization), (await Stories.GetAsync(stories[0]))!.Mentions.Select(m => (m.Canonical, m.Type)).Single());
        await AssertCountsExactAsync(stories);
        await Assert.ThrowsAsync<EntityEditConflictException>(() => Entities.UndoAsync(rename.Id, Analyst)); // the retype came after it

        await Entities.UndoAsync(retype.Id, Analyst);
        await Entities.UndoAsync(rename.Id, Analyst);

        var back = (await Entities.GetAsync(trump))!;
        Assert.Equal(("Trump", EntityType.Person, false), (back.Name, back.Type, back.Curated));
        Assert.Equal(["Trump"], back.Aliases);
        Assert.Equal([donald], await Entities.ResolveAsync("Donald Trump", null));
        await AssertCountsExactAsync(stories);
    }

    [SkippableFact]
    public async Task An_ignored_entity_leaves_lists_trends_cooccurrences_and_stories_and_takes_no_new_mentions()
    {
        var stories = await TrumpCorpusAsync();
        var (kabul, donald) = (await IdOfAsync(Kabul), await IdOfAsync(DonaldTrump));
        var wire = (await Feeds.ListAsync())[0];
        var now = Base.AddDays(2).AddHours(1);
        foreach (var hours in new[] { 1, 2, 3, 4 }) stories.Add(await StoreAsync(About(wire.Id, now.AddHours(-hours), Kabul, DonaldTrump)));
        Assert.Contains(kabul, (await Entities.TrendsAsync(now, TimeSpan.FromHours(24), TimeSpan.FromDays(7), null, 10)).Select(t => t.Id));

        var ignore = await Entities.UpdateAsync(kabul, new EntityPatch(null, null, true), Analyst);

        Assert.True((await Entities.GetAsync(kabul))!.Ignored);
        Assert.DoesNotContain(kabul, (await Entities.ListAsync(new EntityQuery())).Select(e => e.Id));
        Assert.DoesNotContain(kabul, (await Entities.TrendsAsync(now, TimeSpan.FromHours(24), TimeSpan.FromDays(7), null, 10)).Select(t => t.Id));
        Assert.DoesNotContain(kabul, (await Entities.CooccurrencesAsync(donald, null, null, null, 10)).Select(c => c.Id));
        Assert.DoesNotContain(Kabul.Name, (await Stories.GetAsync(stories[1]))!.Mentions.Select(m => m.Canonical));
        var later = await StoreAsync(About(wire.Id, now, Kabul, DonaldTrump));
        Assert.Equal([DonaldTrump.Name], (await Stories.GetAsync(later))!.Mentions.Select(m => m.Canonical));
        Assert.DoesNotContain(later, await IdsAsync(new StoryQuery { EntityFilters = [[kabul]] }));
        stories.Add(later);
        await AssertCountsExactAsync(stories);

        await Entities.UndoAsync(ignore.Id, Analyst);

        Assert.False((await Entities.GetAsync(kabul))!.Ignored);
        Assert.Contains(kabul, (await Entities.CooccurrencesAsync(donald, null, null, null, 10)).Select(c => c.Id));
        Assert.Contains(Kabul.Name, (await Stories.GetAsync(stories[1]))!.Mentions.Select(m => m.Canonical));
        Assert.Equal([DonaldTrump.Name], (await Stories.GetAsync(later))!.Mentions.Select(m => m.Canonical)); // left out while ignored, it stays out
        await AssertCountsExactAsync(stories);
    }

    [SkippableFact]
    public async Task Split_makes_an_alias_its_own_entity_with_its_mentions_and_undo_merges_it_back()
    {
        var wire = await FeedAsync("Wire");
        // The tagger gave "Trump" the full name in these stories; the analyst says that was another Trump.
        var stories = new List<long>();
        foreach (var (hour, text) in new[] { (1, "Donald Trump spoke. Trump left."), (2, "Trump arrived in Kabul."), (3, "Donald Trump and Kabul.") })
        {
            var surfaces = text.Contains("Donald")
                ? new List<(string, string, EntityType)> { ("Donald Trump", DonaldTrump.Name, EntityType.Person) }
                : [];
            if (text.Contains("Trump left") || text.StartsWith("Trump")) surfaces.Add(("Trump", DonaldTrump.Name, EntityType.Person));
            if (text.Contains("Kabul")) surfaces.Add((Kabul.Name, Kabul.Name, EntityType.Location));
            stories.Add(await StoreAsync(Draft(wire.Id, Base.AddHours(hour), text: text) with { Mentions = Mentions(StoryField.Text, text, [.. surfaces]) }));
        }
        var donald = await IdOfAsync(DonaldTrump);
        Assert.Equal((4L, 3L), ((await Entities.GetAsync(donald))!.Mentions, (await Entities.GetAsync(donald))!.Stories));

        await Assert.ThrowsAsync<ArgumentException>(() => Entities.SplitAsync(donald, "Ivanka", Analyst));
        await Assert.ThrowsAsync<ArgumentException>(() => Entities.SplitAsync(donald, "donald trump", Analyst));
        var split = await Entities.SplitAsync(donald, "trump", Analyst);

        var created = split.OtherId!.Value;
        var trump = (await Entities.GetAsync(created))!;
        Assert.Equal(("Trump", EntityType.Person, 2L, 2L, true), (trump.Name, trump.Type, trump.Mentions, trump.Stories, trump.Curated));
        Assert.Equal(["Donald Trump"], (await Entities.GetAsync(donald))!.Aliases);
        Assert.Equal((2L, 2L), ((await Entities.GetAsync(donald))!.Mentions, (await Entities.GetAsync(donald))!.Stories));
        Assert.Equal([stories[1], stories[0]], await IdsAsync(new StoryQuery { EntityFilters = [[created]] }));
        Assert.Equal([stories[2], stories[0]], await IdsAsync(new StoryQuery { EntityFilters = [[donald]] }));
        Assert.Equal([created], await Entities.ResolveAsync("Trump", null));
        await AssertCountsExactAsync(stories);
        // Stories stored after the split name the new entity.
        stories.Add(await StoreAsync(About(wire.Id, Base.AddHours(5), Trump)));
        Assert.Equal(3L, (await Entities.GetAsync(created))!.Stories);
        await AssertCountsExactAsync(stories);

        await Entities.UndoAsync(split.Id, Analyst);

        Assert.Equal(donald, (await Entities.GetAsync(created))!.MergedInto); // its id keeps answering, for the entity it came from
        Assert.Equal((5L, 4L), ((await Entities.GetAsync(donald))!.Mentions, (await Entities.GetAsync(donald))!.Stories));
        Assert.Equal(["Donald Trump", "Trump"], (await Entities.GetAsync(donald))!.Aliases.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(stories.AsEnumerable().Reverse(), await IdsAsync(new StoryQuery { EntityFilters = [[donald]] }));
        await AssertCountsExactAsync(stories);
    }

    [SkippableFact]
    public async Task Edits_are_listed_newest_first_per_entity_and_undo_of_an_unknown_edit_is_not_found()
    {
        await TrumpCorpusAsync();
        var (trump, donald, doha) = (await IdOfAsync(Trump), await IdOfAsync(DonaldTrump), await IdOfAsync(Doha));
        var version = await Stories.VersionAsync();

        var merge = await Entities.MergeAsync(trump, donald, Analyst);
        var rename = await Entities.UpdateAsync(doha, new EntityPatch("Doha, Qatar", null, null), "127.0.0.1");
        await Entities.UndoAsync(rename.Id, Analyst);

        Assert.True((await Stories.VersionAsync()).Version > version.Version); // readers' caches see the edits
        var all = await Entities.EditsAsync(null, 10);
        Assert.Equal([rename.Id, merge.Id], all.Select(e => e.Id));
        Assert.Equal((Analyst, true), (all[0].UndoneBy, all[0].UndoneAt is not null));
        Assert.Null(all[1].UndoneAt);
        Assert.Contains("'Trump'", all[1].Summary);
        Assert.Contains("'Donald Trump'", all[1].Summary);
        Assert.Equal([merge.Id], (await Entities.EditsAsync(donald, 10)).Select(e => e.Id));
        Assert.Equal([rename.Id], (await Entities.EditsAsync(null, 1)).Select(e => e.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Entities.UndoAsync(rename.Id + 100, Analyst));
    }

    [SkippableFact]
    public async Task Names_match_in_any_case_and_without_accents_dots_or_a_leading_the()
    {
        var wire = await FeedAsync("Wire");
        var city = new Named("Ürümqi", EntityType.Location);
        await StoreAsync(About(wire.Id, Base, city));
        var id = await IdOfAsync(city);
        await StoreAsync(About(wire.Id, Base.AddHours(1), city with { Name = "URUMQI" })); // a headline without its accents: the same entity
        await StoreAsync(About(wire.Id, Base.AddHours(2), new Named("The U.N.", EntityType.Organization)));

        Assert.Equal([id], await Entities.ResolveAsync("ürümqi", null));
        Assert.Equal([id], await Entities.ResolveAsync("Urumqi", null));
        Assert.Equal([id], (await Entities.ListAsync(new EntityQuery { Prefix = "uru" })).Select(e => e.Id));
        Assert.Equal(2, (await Entities.GetAsync(id))!.Stories);
        Assert.Single(await Entities.ResolveAsync("un", EntityType.Organization));
    }

    [SkippableFact]
    public async Task Migrating_fills_in_keys_stored_without_them_and_merges_names_that_became_one()
    {
        // As an older version stored them: "São Paulo" in one story; "Sao Paulo", then a twin of it, in another.
        var wire = await FeedAsync("Wire");
        var accented = new Named("São Paulo", EntityType.Location);
        var first = await StoreAsync(About(wire.Id, Base, accented));
        var second = await StoreAsync(Draft(wire.Id, Base.AddHours(1), text: "Sao Paulo voted."));
        var kept = await IdOfAsync(accented);
        var database = Pipeline.Get<Aggregator.Storage.Sql.SqlDatabase>();
        long twin;
        await using (var connection = await database.OpenAsync())
        {
            twin = await connection.ExecuteScalarAsync<long>("INSERT INTO entities (name, type) VALUES ('Sao Paulo', 'LOCATION') RETURNING id");
            await connection.ExecuteAsync("""
                INSERT INTO entity_aliases (alias, entity_id) VALUES ('Sao Paulo', @twin);
                INSERT INTO mentions (story_id, field, start, "end", entity_id, text) VALUES (@second, 1, 0, 9, @twin, 'Sao Paulo');
                INSERT INTO story_entities (entity_id, story_id, mentions) VALUES (@twin, @second, 1);
                UPDATE stories SET entity_terms = @terms WHERE id = @second;
                UPDATE entities SET key = NULL WHERE id = @kept;
                UPDATE entity_aliases SET key = NULL WHERE entity_id = @kept;
                """, new { twin, second, kept, terms = $"e{twin}" });
        }

        await Migrator.MigrateAsync();

        Assert.Equal(kept, (await Entities.GetAsync(twin))!.MergedInto);
        Assert.Equal([kept], await Entities.ResolveAsync("sao paulo", EntityType.Location));
        Assert.Equal((2L, 2L), ((await Entities.GetAsync(kept))!.Mentions, (await Entities.GetAsync(kept))!.Stories));
        Assert.Equal([second, first], await IdsAsync(new StoryQuery { EntityFilters = [[kept]] }));
        var edit = Assert.Single(await Entities.EditsAsync(kept, 10));
        Assert.Equal((EntityEditKind.Merge, twin), (edit.Kind, edit.EntityId));
        Assert.StartsWith("migration", edit.Actor);
        await AssertCountsExactAsync([first, second]);
        var after = await StoreAsync(About(wire.Id, Base.AddHours(2), new Named("SAO PAULO", EntityType.Location))); // written after: the same entity
        Assert.Equal(3L, (await Entities.GetAsync(kept))!.Stories);
        await AssertCountsExactAsync([first, second, after]);
    }
}
