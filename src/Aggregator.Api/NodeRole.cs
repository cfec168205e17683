namespace Aggregator.Api;

/// <summary>
/// What one process of the service does (<c>--role</c>): <c>api</c> nodes serve HTTP and enqueue jobs, <c>worker</c>
/// nodes run the jobs (polling) and answer only the health checks, <c>all</c> (the default) does both — the single
/// machine set-up. Several nodes need a shared database: Storage:Provider=Postgres.
/// </summary>
public enum NodeRole { All, Api, Worker }

public static class NodeRoles
{
    public const string Key = "role";

    /// <exception cref="InvalidOperationException">The role is not one of all, api, worker.</exception>
    public static NodeRole From(IConfiguration configuration)
    {
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value)) return NodeRole.All;
        return Enum.TryParse<NodeRole>(value.Trim(), ignoreCase: true, out var role) && Enum.IsDefined(role)
            ? role
            : throw new InvalidOperationException($"--role '{value}' is not known; use all, api or worker.");
    }

    public static bool ServesApi(this NodeRole role) => role != NodeRole.Worker;

    public static bool RunsJobs(this NodeRole role) => role != NodeRole.Api;
}
