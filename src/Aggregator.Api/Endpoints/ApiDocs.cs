using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Aggregator.Api.Endpoints;

/// <summary>
/// A parameter as the OpenAPI document shows it. The endpoints bind their query parameters as strings, so that a bad
/// value answers a 400 that names it; what each parameter really is (its type, format, values, range) is said here.
/// </summary>
public sealed record ParameterDoc(
    string Name, string Description, JsonSchemaType Type = JsonSchemaType.String, string? Format = null,
    IReadOnlyList<string>? Values = null, int? Minimum = null, int? Maximum = null, string? Default = null, string? Pattern = null);

/// <summary>The parameters several endpoints share, said once.</summary>
public static class Parameters
{
    public static readonly ParameterDoc From = new("from",
        "Start of the range, inclusive: an ISO 8601 date-time (2026-11-29T08:00:00Z) or date (2026-11-29); UTC unless it has an offset.", Format: "date-time");
    public static readonly ParameterDoc To = new("to",
        "End of the range, exclusive: an ISO 8601 date-time or date; UTC unless it has an offset.", Format: "date-time");
    public static readonly ParameterDoc EntityType = new("type", "The entity type.", Values: ["PERSON", "LOCATION", "ORGANIZATION"]);
    public static ParameterDoc Id(string of) => new("id", $"The {of}'s id.", JsonSchemaType.Integer, "int64");

    public static ParameterDoc Limit(int max, int @default) =>
        new("limit", $"How many to return, 1 to {max}.", JsonSchemaType.Integer, "int32", Minimum: 1, Maximum: max, Default: @default.ToString(CultureInfo.InvariantCulture));

    /// <summary>Says what the endpoint's parameters are, for the OpenAPI document.</summary>
    public static TBuilder Documented<TBuilder>(this TBuilder builder, params ParameterDoc[] parameters) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ParameterDocs(parameters));
}

/// <summary>Endpoint metadata: the documented parameters.</summary>
public sealed record ParameterDocs(IReadOnlyList<ParameterDoc> Parameters);

/// <summary>Endpoint metadata: the endpoint takes the operators' key (X-Api-Key, or Authorization: Bearer).</summary>
public sealed class NeedsApiKey
{
    public static readonly NeedsApiKey Instance = new();
}

/// <summary>The OpenAPI document: typed and described parameters, the API key scheme on the operator endpoints.</summary>
public static class ApiDocs
{
    public const string ApiKeyScheme = "ApiKey";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Aggregator";
            document.Info.Description = "News aggregation and entity tagging: stories, entities, trends, and the feeds they come from. Errors are RFC 7807 application/problem+json.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "The operators' key (Api:Key); Authorization: Bearer <key> works too. Without a configured key, operator endpoints accept local callers only.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<ParameterDocs>().LastOrDefault() is { } docs)
                foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
                    if (docs.Parameters.FirstOrDefault(d => d.Name == parameter.Name) is { } doc) Describe(parameter, doc);
            if (metadata.OfType<NeedsApiKey>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] });
            }
            return Task.CompletedTask;
        });
    }

    private static void Describe(OpenApiParameter parameter, ParameterDoc doc)
    {
        parameter.Description = doc.Description;
        var schema = new OpenApiSchema
        {
            Type = doc.Type,
            Format = doc.Format,
            Enum = doc.Values?.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
            Minimum = doc.Minimum?.ToString(CultureInfo.InvariantCulture),
            Maximum = doc.Maximum?.ToString(CultureInfo.InvariantCulture),
            Pattern = doc.Pattern,
            Default = doc.Default is null ? null : doc.Type == JsonSchemaType.Integer ? JsonValue.Create(int.Parse(doc.Default, CultureInfo.InvariantCulture)) : JsonValue.Create(doc.Default),
        };
        // A repeatable parameter stays an array, of values of this kind.
        parameter.Schema = parameter.Schema?.Type == JsonSchemaType.Array ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema } : schema;
    }

    /// <summary>The interactive reference at /docs, with nothing that needs the internet: no hosted client, AI agent, MCP, fonts or telemetry.</summary>
    public static void ConfigureReference(ScalarOptions options)
    {
        options.WithTitle("Aggregator API")
            .DisableAgent()
            .DisableMcp()
            .DisableDefaultFonts()
            .DisableTelemetry()
            .HideDeveloperTools();
        options.HideClientButton = true;
    }
}
