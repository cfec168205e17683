using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Nlp;

namespace Aggregator.Api.Endpoints;

/// <summary>Entity types on the wire are PERSON, LOCATION, ORGANIZATION everywhere, as the tagger's CLI writes them.</summary>
public sealed class EntityTypeJsonConverter : JsonConverter<EntityType>
{
    public override EntityType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        EntityTypes.TryParse(reader.GetString() ?? "", out var type) ? type : throw new JsonException("Expected PERSON, LOCATION or ORGANIZATION.");

    public override void Write(Utf8JsonWriter writer, EntityType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(EntityTypes.ToWire(value));
}
