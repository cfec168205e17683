using System.Data.Common;
using Aggregator.Storage.Sql;
using Dapper;
using Npgsql;

namespace Aggregator.Storage.Postgres;

/// <summary>A PostgreSQL database shared by any number of API and worker nodes.</summary>
public sealed class PostgresDatabase : SqlDatabase, IDisposable
{
    /// <summary>The advisory lock nodes take to migrate one at a time (an arbitrary constant: "aggr").</summary>
    private const long MigrationLockKey = 0x61676772;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString) => _dataSource = NpgsqlDataSource.Create(connectionString);

    protected override string MigrationPrefix => "Migrations/Postgres/";
    internal override StorySearch Search { get; } = new PostgresStorySearch();
    internal override string StoryEntityLists => "stories s";

    internal override string LinkKeyEquals(string column, string parameter) =>
        $"story_link_key({column}) = story_link_key({parameter}) AND {column} = {parameter}";
    internal override Task LockEntitiesAsync(DbConnection connection, DbTransaction transaction, IEnumerable<long> ids) =>
        connection.ExecuteAsync($"SELECT id FROM entities WHERE id IN ({string.Join(',', ids.Distinct().Order())}) ORDER BY id FOR UPDATE", transaction: transaction);

    /// <summary>The SQLSTATE that count_story_entity raises (migration 008).</summary>
    internal override bool IsMergedEntityError(DbException exception) => exception is PostgresException { SqlState: "AGM01" };

    public override async Task<DbConnection> OpenAsync(CancellationToken ct = default) => await _dataSource.OpenConnectionAsync(ct);

    /// <summary>What Npgsql calls transient, and a lost connection or a server shutting down or starting (classes 08, 57P).</summary>
    internal override bool IsTransient(DbException e) =>
        e.IsTransient || e.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03");

    /// <summary>After a server restart every pooled connection is dead: they go, so that a retry opens a live one.</summary>
    internal override void ForgetBrokenConnections() => _dataSource.Clear();

    protected override async Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@MigrationLockKey)", new { MigrationLockKey });
        return new MigrationLock(connection);
    }

    public void Dispose() => _dataSource.Dispose();

    /// <summary>Creates an empty database on the server (tests and benchmarks start from one); returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string serverConnectionString, string name, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync($"CREATE DATABASE {Identifier(name)}");
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ToString();
    }

    /// <summary>Drops the database, closing the connections still open to it.</summary>
    public static async Task DropDatabaseAsync(string serverConnectionString, string name, CancellationToken ct = default)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {Identifier(name)} WITH (FORCE)");
    }

    /// <summary>Names go into DDL, which takes no parameters: only plain lower-case identifiers are accepted.</summary>
    private static string Identifier(string name) =>
        name.Length is > 0 and < 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') && !char.IsDigit(name[0])
            ? name : throw new ArgumentException($"'{name}' is not a plain database name.", nameof(name));

    private sealed class MigrationLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLockKey)", new { MigrationLockKey });
    }
}
