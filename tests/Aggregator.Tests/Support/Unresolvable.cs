namespace Aggregator.Tests.Support;

/// <summary>
/// A host name that fails to resolve without a query leaving the machine: its first label is longer than DNS allows
/// (63 characters), so the resolver refuses to build a query, and it is under .invalid, which never resolves anyway.
/// </summary>
public static class Unresolvable
{
    public static readonly string Host = new string('x', 64) + ".invalid";

    public static string Url(string path) => $"https://{Host}{path}";
}
