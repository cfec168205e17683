using Aggregator.Storage.Postgres;

namespace Aggregator.Tests.Support;

/// <summary>
/// The PostgreSQL server of the tests that need one, named by a connection string in AGGREGATOR_TEST_POSTGRES
/// (.ci/run starts a throwaway cluster and sets it). Each test gets a database of its own, dropped afterwards.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "AGGREGATOR_TEST_POSTGRES";

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Why the PostgreSQL tests skip here, or null when they run.</summary>
    public static string? SkipReason => ServerConnectionString is null
        ? $"PostgreSQL tests need a server: set {Variable} to a connection string of a role that may create databases (.ci/run starts a throwaway cluster and sets it)."
        : null;

    /// <summary>A new, empty database; the test is skipped, saying why, when no server is configured.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        Skip.If(SkipReason is not null, SkipReason);
        var name = "aggregator_test_" + Guid.NewGuid().ToString("N");
        return new TestDatabase(name, await PostgresDatabase.CreateDatabaseAsync(ServerConnectionString!, name));
    }
}

public sealed class TestDatabase(string name, string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync() => await PostgresDatabase.DropDatabaseAsync(TestPostgres.ServerConnectionString!, name);
}
