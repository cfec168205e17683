namespace Aggregator.Nlp;

public enum EntityType { Person, Location, Organization }

public static class EntityTypes
{
    public static string ToWire(EntityType type) => type switch
    {
        EntityType.Person => "PERSON",
        EntityType.Location => "LOCATION",
        _ => "ORGANIZATION",
    };

    /// <summary>Accepts the wire names (PERSON, LOCATION, ORGANIZATION) and PER/LOC/ORG, in any case.</summary>
    public static bool TryParse(string? text, out EntityType type)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "PERSON" or "PER": type = EntityType.Person; return true;
            case "LOCATION" or "LOC": type = EntityType.Location; return true;
            case "ORGANIZATION" or "ORGANISATION" or "ORG": type = EntityType.Organization; return true;
            default: type = default; return false;
        }
    }
}

/// <summary>An entity found in a text: [Start, End) indexes the text as UTF-16; Canonical is its name within the document.</summary>
public sealed record EntityMention(int Start, int End, EntityType Type, string Text, string Canonical);
