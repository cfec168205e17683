using Aggregator.Core.Model;
using Aggregator.Nlp;

namespace Aggregator.Core.Entities;

/// <summary>
/// Stored entities by every form of name that resolution looks up: canonical name, aliases, and for people the ends
/// of their names and their first-and-last names, for organisations and places their acronyms. Not thread-safe:
/// <see cref="EntityDirectory"/> guards it.
/// </summary>
public sealed class EntityIndex
{
    /// <summary>Words after a surname that are not the surname ("Donald Trump Jr.").</summary>
    private static readonly HashSet<string> GenerationalSuffixes = ["jr", "sr", "ii", "iii", "iv"];

    /// <summary>Small words that an acronym skips ("Bank of England" is BoE, not BOE, but "BE" as an acronym).</summary>
    private static readonly HashSet<string> AcronymStopWords = new(StringComparer.OrdinalIgnoreCase)
    { "of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "in", "on", "&", "at", "to", "y" };

    private readonly Dictionary<(EntityType, string), Known> _byName = [];
    private readonly Dictionary<(EntityType, string), List<Known>> _byAlias = [];
    private readonly Dictionary<string, List<Known>> _personParts = [];
    private readonly Dictionary<(EntityType, string), List<Known>> _acronyms = [];

    /// <summary>An entity as the index holds it.</summary>
    public sealed class Known(string name, EntityType type, string key)
    {
        public string Name { get; } = name;
        public EntityType Type { get; } = type;
        public string Key { get; } = key;
        public int Words { get; } = EntityKey.Words(key).Length;
        public long Stories { get; set; }
        public DateTimeOffset LastSeen { get; set; }
        public bool Ignored { get; set; }
        public bool Curated { get; set; }
        public HashSet<string> AliasKeys { get; } = [];
        public override string ToString() => $"{Name} ({EntityTypes.ToWire(Type)}, {Stories} stories)";
    }

    public int Count => _byName.Count;

    public void Add(DirectoryEntry entry)
    {
        var known = Entry(entry.Name, entry.Type);
        known.Stories = Math.Max(known.Stories, entry.Stories);
        if (entry.LastSeen > known.LastSeen) known.LastSeen = entry.LastSeen;
        known.Ignored = entry.Ignored;
        known.Curated = entry.Curated;
        foreach (var alias in entry.Aliases) AddAlias(known, EntityKey.Of(alias));
    }

    /// <summary>What a stored story adds: its entities (by the names resolution gave them) were seen once more, under these aliases.</summary>
    public void Observe(IReadOnlyList<StoryMention> mentions, DateTimeOffset published)
    {
        foreach (var group in mentions.GroupBy(m => (m.Type, Key: EntityKey.Of(m.Canonical))))
        {
            if (group.Key.Key.Length == 0) continue;
            var known = Entry(group.First().Canonical, group.Key.Type);
            known.Stories++;
            if (published > known.LastSeen) known.LastSeen = published;
            foreach (var mention in group) AddAlias(known, EntityKey.Of(mention.Text));
        }
    }

    public Known? ByName(EntityType type, string key) => _byName.GetValueOrDefault((type, key));

    /// <summary>Entities of the type with this name or alias.</summary>
    public IReadOnlyList<Known> WithAlias(EntityType type, string key) => _byAlias.GetValueOrDefault((type, key)) ?? [];

    /// <summary>
    /// People whose name this is the short form of: its last words (a surname alone, "von der Leyen") or its first and
    /// last words without the middle ("Donald Trump" of "Donald J. Trump").
    /// </summary>
    public IReadOnlyList<Known> PeopleNamed(string key)
    {
        var words = NameWords(key);
        if (words.Count == 0) return [];
        var byEnd = _personParts.GetValueOrDefault(string.Join(' ', words)) ?? [];
        if (words.Count < 2 || !_personParts.TryGetValue(words[0] + "|" + words[^1], out var byFirstAndLast)) return byEnd;
        return byEnd.Concat(byFirstAndLast).Distinct().ToList();
    }

    /// <summary>Organisations or places of the type whose initials the acronym spells ("UNHCR").</summary>
    public IReadOnlyList<Known> WithAcronym(EntityType type, string acronym) => _acronyms.GetValueOrDefault((type, acronym)) ?? [];

    /// <summary>The letters of a name written as an acronym ("UN", "U.S.", "UNHCR"), or null when it is not one.</summary>
    public static string? Acronym(string name)
    {
        var letters = name.Replace(".", "");
        return letters.Length is >= 2 and <= 8 && letters.All(char.IsUpper) ? letters : null;
    }

    private Known Entry(string name, EntityType type)
    {
        var key = EntityKey.Of(name);
        if (_byName.TryGetValue((type, key), out var known)) return known;
        known = new Known(name, type, key);
        _byName[(type, key)] = known;
        AddAlias(known, key);
        if (type == EntityType.Person) IndexPersonParts(known);
        else if (InitialsOf(name) is { } initials) Append(_acronyms, (type, initials), known);
        return known;
    }

    private void AddAlias(Known known, string key)
    {
        if (key.Length > 0 && known.AliasKeys.Add(key)) Append(_byAlias, (known.Type, key), known);
    }

    private void IndexPersonParts(Known known)
    {
        var words = NameWords(known.Key);
        for (var count = 1; count < words.Count; count++) Append(_personParts, string.Join(' ', words.Skip(words.Count - count)), known);
        if (words.Count >= 3) Append(_personParts, words[0] + "|" + words[^1], known);
    }

    /// <summary>The words of a person's name, without a generational suffix.</summary>
    private static List<string> NameWords(string key)
    {
        var words = EntityKey.Words(key).ToList();
        while (words.Count > 1 && GenerationalSuffixes.Contains(words[^1])) words.RemoveAt(words.Count - 1);
        return words;
    }

    /// <summary>The initials of the capitalised words of a name of two words or more.</summary>
    private static string? InitialsOf(string name)
    {
        var words = name.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2) return null;
        var initials = string.Concat(words.Where(w => char.IsUpper(w[0]) && !AcronymStopWords.Contains(w)).Select(w => w[0]));
        return initials.Length >= 2 ? initials : null;
    }

    /// <summary>Adds the entity under the key: each entity comes once under each of its keys (new entities, new aliases).</summary>
    private static void Append<TKey>(Dictionary<TKey, List<Known>> index, TKey key, Known known) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        list.Add(known);
    }
}
