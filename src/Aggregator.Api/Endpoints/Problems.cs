using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api.Endpoints;

/// <summary>RFC 7807 problem+json answers with a message that tells the caller what to change.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public const string StorageFullTitle = "Storage full";
    public const string StorageFullDetail =
        "The database cannot be written: its disk (or Storage:Sqlite:MaxSizeMiB) is full. Reads still work; ingestion resumes by itself when space returns.";

    public static ProblemHttpResult StorageFull() =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: StorageFullTitle, detail: StorageFullDetail);

    /// <param name="existing">What the request collides with, named in the answer so the caller can go to it.</param>
    public static ProblemHttpResult Conflict(string detail, string name, object existing) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: new Dictionary<string, object?> { [name] = existing });
}
