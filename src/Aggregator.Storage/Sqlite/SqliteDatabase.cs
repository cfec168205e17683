using System.Data.Common;
using Aggregator.Storage.Sql;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage.Sqlite;

/// <summary>
/// The embedded database file. WAL lets readers run while one writer commits; the busy timeout makes writers queue
/// rather than fail; transactions begin IMMEDIATE (the provider's default), so a writer's checks and inserts are one step.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    protected override string MigrationPrefix => "Migrations/Sqlite/";
    internal override StorySearch Search { get; } = new SqliteStorySearch();
    internal override string StoryEntityLists => "stories s INDEXED BY stories_entity_terms";

    internal override Task LockEntitiesAsync(DbConnection connection, DbTransaction transaction, IEnumerable<long> ids) => Task.CompletedTask;

    /// <summary>The RAISE of the trigger story_entities_of_merged.</summary>
    internal override bool IsMergedEntityError(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 } && exception.Message.Contains("entity merged", StringComparison.Ordinal);

    public override async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    /// <summary>Switches the file to WAL; SQLite's own locking already serialises migrating writers.</summary>
    protected override async Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        return NoLock.Instance;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
