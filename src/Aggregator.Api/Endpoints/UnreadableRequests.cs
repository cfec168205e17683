using System.Text.Json;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Diagnostics;

namespace Aggregator.Api.Endpoints;

/// <summary>
/// A request the endpoint cannot read (malformed JSON, a value of the wrong type, no body, a body too large) is the
/// caller's mistake: it keeps its 4xx status and answers problem+json whose detail says what is wrong and where, and
/// it is not logged as an error of the service. Binding failures throw to get here (RouteHandlerOptions.ThrowOnBadRequest).
/// </summary>
public sealed class UnreadableRequests(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request", Detail = Detail(http, bad) },
        });
    }

    public static string Detail(HttpContext http, BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException json when json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) =>
            $"'{Field(json.Path)}' must be {Expected(FieldType(http, json.Path))}.",
        JsonException json =>
            $"The body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}): {Reason(json.Message)}",
        _ when bad.Message.Contains("no body was provided", StringComparison.Ordinal) || bad.Message.Contains("was not provided from body", StringComparison.Ordinal) =>
            "The request needs a JSON body.",
        _ => bad.Message,
    };

    private static string Field(string? path) => path is null or "$" ? "the body" : path.StartsWith("$.") ? path[2..] : path;

    /// <summary>The type of the body's field at <paramref name="path"/>, from the request type the endpoint accepts.</summary>
    private static Type? FieldType(HttpContext http, string? path)
    {
        var name = Field(path).Split('.', '[')[0];
        // The exception handler clears the request's endpoint; the feature keeps the one that failed.
        var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        return endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType?
            .GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
    }

    /// <summary>What System.Text.Json says, without where it says it (the detail says that once, counted from 1).</summary>
    private static string Reason(string message) => message.Split(" Path: ")[0].Split(" LineNumber: ")[0].Trim();

    private static string Expected(Type? type) => (Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(double) || t == typeof(decimal) => "a number",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(string) => "a string",
        var t when t == typeof(DateTimeOffset) => "an ISO 8601 date or time",
        var t when t != null && t != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) => "a list",
        _ => "a value of another type",
    };
}
