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
    internal override string EntityNameEquals => "lower(name) = lower(@name)";
    internal override string AliasEquals => "lower(a.alias) = lower(@name)";
    internal override string AliasStartsWith => @"lower(alias) LIKE lower(@prefix) ESCAPE '\'";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct = default) => await _dataSource.OpenConnectionAsync(ct);

    protected override async Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@MigrationLockKey)", new { MigrationLockKey });
        return new MigrationLock(connection);
    }

    public void Dispose() => _dataSource.Dispose();

    private sealed class MigrationLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLockKey)", new { MigrationLockKey });
    }
}
