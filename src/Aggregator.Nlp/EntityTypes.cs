namespace Aggregator.Nlp;

/// <summary>The three entity types of the NER pipeline.</summary>
public enum EntityType { Person, Location, Organization }

/// <summary>Conversions between <see cref="EntityType"/> and its wire names.</summary>
public static class EntityTypes
{
    /// <summary>"PERSON", "LOCATION" or "ORGANIZATION".</summary>
    public static string ToWire(EntityType t) => t switch
    {
        EntityType.Person => "PERSON",
        EntityType.Location => "LOCATION",
        EntityType.Organization => "ORGANIZATION",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>Short corpus label: "PER", "LOC" or "ORG".</summary>
    public static string ToShort(EntityType t) => t switch
    {
        EntityType.Person => "PER",
        EntityType.Location => "LOC",
        EntityType.Organization => "ORG",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>Accepts wire names and PER/LOC/ORG, case-insensitive.</summary>
    public static bool TryParse(string s, out EntityType t)
    {
        switch (s?.Trim().ToUpperInvariant())
        {
            case "PERSON": case "PER": t = EntityType.Person; return true;
            case "LOCATION": case "LOC": t = EntityType.Location; return true;
            case "ORGANIZATION": case "ORGANISATION": case "ORG": t = EntityType.Organization; return true;
            default: t = default; return false;
        }
    }
}

/// <summary>One entity mention: UTF-16 offsets into the tagged text (end exclusive), the surface text and
/// the document-level canonical name.</summary>
public sealed record EntityMention(int Start, int End, EntityType Type, string Text, string Canonical);
