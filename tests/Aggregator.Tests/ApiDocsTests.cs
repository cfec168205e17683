using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>The OpenAPI document says what each parameter is, what errors come back, and which endpoints take the key.</summary>
public sealed class ApiDocsTests
{
    private static readonly string[] OperatorOperations =
        ["post /api/feeds", "patch /api/feeds/{id}", "delete /api/feeds/{id}", "post /api/feeds/{id}/refresh", "post /api/feeds/opml"];

    [Fact]
    public async Task Parameters_are_typed_and_described()
    {
        var document = await DocumentAsync();

        var stories = Parameters(document, "/api/stories", "get");
        Assert.Equal(("integer", 1, 100), (stories["limit"].GetProperty("type").GetString(), stories["limit"].GetProperty("minimum").GetInt32(), stories["limit"].GetProperty("maximum").GetInt32()));
        Assert.Equal("date-time", stories["from"].GetProperty("format").GetString());
        Assert.Equal("date-time", stories["to"].GetProperty("format").GetString());
        Assert.Equal(["published", "relevance"], Enum(stories["sort"]));
        Assert.Equal(["PERSON", "LOCATION", "ORGANIZATION"], Enum(stories["type"]));
        Assert.Equal("integer", stories["feed"].GetProperty("type").GetString());
        Assert.Equal("array", stories["entity"].GetProperty("type").GetString());
        Assert.Equal(["hour", "day"], Enum(Parameters(document, "/api/entities/{id}", "get")["interval"]));
        var trends = Parameters(document, "/api/trends", "get");
        Assert.Equal("24h", trends["window"].GetProperty("default").GetString());
        Assert.Matches(trends["window"].GetProperty("pattern").GetString()!, "6h");
        Assert.Equal(["PERSON", "LOCATION", "ORGANIZATION"], Enum(trends["type"]));

        // Every parameter of every operation says what it is.
        foreach (var (operation, parameter) in Operations(document).SelectMany(o => o.Value.TryGetProperty("parameters", out var ps)
                     ? ps.EnumerateArray().Select(p => (o.Key, p)) : []))
            Assert.True(parameter.TryGetProperty("description", out var d) && d.GetString()!.Length > 0,
                $"{operation}: parameter '{parameter.GetProperty("name").GetString()}' has no description");
    }

    [Fact]
    public async Task Errors_are_documented_as_problem_json_and_operator_endpoints_take_the_api_key()
    {
        var document = await DocumentAsync();
        var operations = Operations(document);

        Assert.Equal(["400", "401", "409", "429"], ProblemResponses(operations["post /api/feeds"]));
        Assert.Equal(["401", "404", "429"], ProblemResponses(operations["get /api/feeds/{id}"]));
        Assert.Equal(["400", "401", "404", "429"], ProblemResponses(operations["get /api/stories"]));
        Assert.Equal(["400", "401", "404", "429"], ProblemResponses(operations["get /api/entities/{id}"]));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        foreach (var (name, operation) in operations)
        {
            var secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(r => r.TryGetProperty("ApiKey", out _));
            Assert.True(secured == OperatorOperations.Contains(name), $"{name}: security {(secured ? "required" : "missing")}");
        }
    }

    [Fact]
    public async Task The_docs_page_is_configured_without_what_needs_the_internet()
    {
        await using var api = new ApiFactory();

        var page = await api.CreateClient().GetStringAsync("/docs/");

        // The configuration Scalar starts with: no hosted client, AI agent, MCP, fonts from its CDN, telemetry or developer tools.
        Assert.Contains("\"hideClientButton\":true", page);
        Assert.Contains("\"withDefaultFonts\":false", page);
        Assert.Contains("\"telemetry\":false", page);
        Assert.Contains("\"showDeveloperTools\":\"never\"", page);
        Assert.Matches("\"agent\":\\{[^}]*\"disabled\":true", page);
        Assert.Matches("\"mcp\":\\{[^}]*\"disabled\":true", page);
        Assert.DoesNotContain("https://", page);
    }

    private static async Task<JsonElement> DocumentAsync()
    {
        await using var api = new ApiFactory();
        return await api.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
    }

    private static Dictionary<string, JsonElement> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(o => (Name: $"{o.Name} {path.Name}", o.Value)))
            .ToDictionary(o => o.Name, o => o.Value);

    private static Dictionary<string, JsonElement> Parameters(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));

    private static IEnumerable<string?> Enum(JsonElement schema) => schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString());

    /// <summary>The error statuses an operation documents, each with the problem+json schema.</summary>
    private static List<string> ProblemResponses(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject()
            .Where(r => r.Name[0] is '4' or '5')
            .Where(r => r.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()!.EndsWith("ProblemDetails"))
            .Select(r => r.Name).Order().ToList();
}
