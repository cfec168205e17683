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
    private readonly string _pragmas;

    /// <param name="busyTimeout">How long a writer waits for the lock (default 10 s), in SQLite's busy handler and in
    /// Microsoft.Data.Sqlite's own retries of a busy statement (whole seconds, at least one).</param>
    /// <param name="maxSizeMiB">Largest the file may grow (0: no limit), counted in SQLite's default 4 KiB pages.</param>
    public SqliteDatabase(string path, TimeSpan? busyTimeout = null, int maxSizeMiB = 0)
    {
        var busy = busyTimeout ?? TimeSpan.FromSeconds(10);
        _pragmas = $"PRAGMA busy_timeout = {(long)busy.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
            + (maxSizeMiB > 0 ? $" PRAGMA max_page_count = {maxSizeMiB * 256L};" : "");
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busy.TotalSeconds)),
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
        await connection.ExecuteAsync(_pragmas);
        return connection;
    }

    /// <summary>Busy (another writer held the lock past the busy timeout) or locked.</summary>
    internal override bool IsTransient(DbException e) => e is SqliteException { SqliteErrorCode: 5 or 6 } || e.IsTransient;

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
