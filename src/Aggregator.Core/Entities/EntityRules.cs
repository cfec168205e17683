using Aggregator.Core.Model;
using Aggregator.Nlp;

namespace Aggregator.Core.Entities;

/// <summary>
/// Which stored entity each mention of a story is, decided in memory over an <see cref="EntityIndex"/>, one name of the
/// story at a time (all the mentions whose canonical names are the same name, whatever types the tagger gave them):
/// <list type="number">
/// <item>Its type: the type most of those mentions have (in a tie, the one whose entity of the name has more stories),
/// unless the name belongs to an entity of another type that
/// dominates it (<see cref="DominanceFactor"/> times the stories of the name's entity of this type, and at least
/// <see cref="MinStoriesToDominate"/>) and the story says it only a few times (under <see cref="StrongEvidence"/>).</item>
/// <item>An entity an analyst named (curated) keeps its exact name.</item>
/// <item>Otherwise the entities the name may be another form of: those that have it as an alias, people whose
/// surname, end of name or first-and-last name it is (and, for a name with a middle, the person known by its first
/// and last name alone), and organisations or places whose initials it spells, the ones found by rule among those
/// seen within <see cref="Window"/> of the story. The most mentioned of them is taken when
/// it dominates the others; it replaces an entity of exactly this name when that is a single word or an acronym (a
/// surname alone is a fragment) or has fewer stories.</item>
/// <item>Otherwise the entity of exactly this name; otherwise, when the fuller entities were too many to choose, a
/// name of its own ("Johnson" stays "Johnson" beside Boris and Dwayne); otherwise a new entity.</item>
/// </list>
/// The mentions of an ignored entity (not an entity, an analyst said) are dropped.
/// </summary>
public sealed class EntityRules
{
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(30);
    public int DominanceFactor { get; init; } = 3;
    public int MinStoriesToDominate { get; init; } = 2;
    public int StrongEvidence { get; init; } = 3;

    /// <summary>The story's mentions under the canonical names and types of the entities they are, in their order.</summary>
    public IReadOnlyList<StoryMention> Resolve(EntityIndex index, IReadOnlyList<StoryMention> mentions, DateTimeOffset published)
    {
        var decisions = new Dictionary<string, (string Name, EntityType Type)?>();
        foreach (var group in mentions.Select((m, i) => (Mention: m, Index: i)).GroupBy(x => EntityKey.Of(x.Mention.Canonical)))
        {
            if (group.Key.Length == 0) continue;
            // A tie in the story goes to the type whose entity of this name has more stories, then to the first said.
            var storyType = group.GroupBy(x => x.Mention.Type)
                .OrderByDescending(t => t.Count()).ThenByDescending(t => index.ByName(t.Key, group.Key)?.Stories ?? 0)
                .ThenBy(t => t.First().Index).First();
            var name = storyType.First().Mention.Canonical;
            var type = SettleType(index, group.Key, storyType.Key, storyType.Count());
            var target = Decide(index, name, group.Key, type, published);
            decisions[group.Key] = target is null ? (name, type) : target.Ignored ? null : (target.Name, target.Type);
        }
        var resolved = new List<StoryMention>(mentions.Count);
        foreach (var mention in mentions)
        {
            if (!decisions.TryGetValue(EntityKey.Of(mention.Canonical), out var decision)) resolved.Add(mention);
            else if (decision is { } d) resolved.Add(mention with { Canonical = d.Name, Type = d.Type });
        }
        return resolved;
    }

    /// <summary>The story's type for the name, unless an entity of another type holding the name dominates and the story says little.</summary>
    private EntityType SettleType(EntityIndex index, string key, EntityType type, int evidence)
    {
        var exact = index.ByName(type, key);
        if (exact is { Curated: true } || evidence >= StrongEvidence) return type;
        var rival = Enum.GetValues<EntityType>().Where(t => t != type)
            .SelectMany(t => index.WithAlias(t, key)).Where(k => !k.Ignored)
            .OrderByDescending(k => k.Stories).FirstOrDefault();
        return rival is not null && rival.Stories >= Math.Max(MinStoriesToDominate, DominanceFactor * (exact?.Stories ?? 0)) ? rival.Type : type;
    }

    /// <summary>The entity the name of this type is, or null for one of its own.</summary>
    private EntityIndex.Known? Decide(EntityIndex index, string name, string key, EntityType type, DateTimeOffset published)
    {
        var exact = index.ByName(type, key);
        if (exact is { Curated: true }) return exact;
        var fuller = FullerForms(index, name, key, type, published).Where(k => k != exact && !k.Ignored).ToList();
        var pick = Dominant(fuller);
        if (pick is not null && (exact is null || IsFragment(exact) || pick.Stories >= exact.Stories)) return pick;
        return exact;
    }

    private IEnumerable<EntityIndex.Known> FullerForms(EntityIndex index, string name, string key, EntityType type, DateTimeOffset published)
    {
        var words = EntityKey.Words(key);
        var byRule = type == EntityType.Person ? index.PeopleNamed(key)
            : EntityIndex.Acronym(name) is { } acronym ? index.WithAcronym(type, acronym) : [];
        // A name with a middle is also the person known by first and last name alone, when that one is more mentioned.
        var byFirstAndLast = type == EntityType.Person && words.Length >= 3 && index.ByName(type, words[0] + " " + words[^1]) is { } known ? [known] : Array.Empty<EntityIndex.Known>();
        return index.WithAlias(type, key)
            .Concat(byRule.Where(k => k.Words > words.Length && k.LastSeen >= published - Window))
            .Concat(byFirstAndLast.Where(k => k.LastSeen >= published - Window))
            .Distinct();
    }

    /// <summary>The most mentioned, when it has <see cref="DominanceFactor"/> times the stories of the next.</summary>
    private EntityIndex.Known? Dominant(List<EntityIndex.Known> candidates)
    {
        if (candidates.Count <= 1) return candidates.FirstOrDefault();
        var ranked = candidates.OrderByDescending(k => k.Stories).ToList();
        return ranked[0].Stories >= DominanceFactor * Math.Max(1, ranked[1].Stories) ? ranked[0] : null;
    }

    /// <summary>A name that is a single word or an acronym: by itself, short for someone or something.</summary>
    private static bool IsFragment(EntityIndex.Known known) => !known.Name.Contains(' ') || EntityIndex.Acronym(known.Name) is not null;
}
