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

    /// <summary>Runs statements on the test's own database.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, sql);
    }

    /// <summary>Ends every session on the database, as a server restart does.</summary>
    public Task TerminateConnectionsAsync() => OnServerAsync(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()");

    /// <summary>While set, new connections to the database are refused (a server not yet back up).</summary>
    public Task RefuseConnectionsAsync(bool refuse) => OnServerAsync($"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {(refuse ? "false" : "true")}");

    private async Task OnServerAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestPostgres.ServerConnectionString);
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, sql, new { name });
    }

    public async ValueTask DisposeAsync() => await PostgresDatabase.DropDatabaseAsync(TestPostgres.ServerConnectionString!, name);
}
