using Aggregator.Nlp;

namespace Aggregator.Storage.Sql;

/// <summary>
/// A row of entities, whichever of its columns a query selects. A class, not a positional record: Dapper converts
/// SQLite's integer flags to bool only for properties.
/// </summary>
internal sealed class EntityRow
{
    public long id { get; set; }
    public string name { get; set; } = "";
    public string? key { get; set; }
    public string type { get; set; } = "";
    public long mention_count { get; set; }
    public long story_count { get; set; }
    public long? merged_into { get; set; }
    public bool ignored { get; set; }
    public bool curated { get; set; }
    public long last_story_id { get; set; }

    public long Id => id;
    public string Name => name;
    public string Key => key ?? EntityBatch.KeyOf(name);
    public EntityType Type => EntityTypes.TryParse(type, out var parsed) ? parsed : EntityType.Organization;
    public long? MergedInto => merged_into;
    public bool Ignored => ignored;
    public bool Curated => curated;
    public long Stories => story_count;
}
