using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Aggregator.Storage.Sql;

/// <summary>
/// A provider's database: open connections, and the few statements whose SQL differs between providers. Everything
/// else the stores say in SQL that SQLite and PostgreSQL both accept.
/// </summary>
public abstract class SqlDatabase
{
    /// <summary>The names the embedded migration scripts of this provider are found under, e.g. "Migrations/Sqlite/".</summary>
    protected abstract string MigrationPrefix { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct = default);

    /// <summary>Entity ids and aliases this process has seen committed to this database.</summary>
    internal KnownEntities KnownEntities { get; } = new();

    /// <summary>The provider's full-text search of stories.</summary>
    internal abstract StorySearch Search { get; }

    /// <summary>The stories table as <c>s</c>, read through its narrow (id, entity_terms) index.</summary>
    internal abstract string StoryEntityLists { get; }

    /// <summary>
    /// Locks the entity rows that an edit changes until it commits, in id order (PostgreSQL; a SQLite transaction
    /// holds the whole database already).
    /// </summary>
    internal abstract Task LockEntitiesAsync(DbConnection connection, DbTransaction transaction, IEnumerable<long> ids);

    /// <summary>Condition: the link key column equals the parameter, through the index that keeps link keys unique.</summary>
    internal virtual string LinkKeyEquals(string column, string parameter) => $"{column} = {parameter}";

    /// <summary>The database refused a story_entities row for an entity merged meanwhile (the writer read entities before the merge).</summary>
    internal abstract bool IsMergedEntityError(DbException exception);

    /// <summary>
    /// Runs the work in one transaction, again from the start (as <see cref="RetryTransientAsync"/>) when the database
    /// fails it transiently or refuses a row of an entity merged meanwhile.
    /// </summary>
    internal Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, StorageOptions options, CancellationToken ct) =>
        RetryTransientAsync(async () =>
        {
            // Disposing a failed transaction rolls it back (unless the failed commit already has).
            await using var connection = await OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(ct);
            return result;
        }, options, ct);

    /// <summary>An error that a later attempt may not meet: a busy database, a lost connection, a server restarting.</summary>
    internal abstract bool IsTransient(DbException e);

    /// <summary>Drops pooled connections that may be dead, before a retry.</summary>
    internal virtual void ForgetBrokenConnections() { }

    /// <summary>
    /// Runs the work (which opens its own connection) again from the start when the database fails it transiently,
    /// after a wait that doubles each time, up to <see cref="StorageOptions.TransientRetries"/> times.
    /// </summary>
    internal async Task<T> RetryTransientAsync<T>(Func<Task<T>> work, StorageOptions options, CancellationToken ct)
    {
        var delay = options.TransientRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (DbException e) when (attempt <= options.TransientRetries && (IsTransient(e) || IsMergedEntityError(e)))
            {
                // A writer that read entities before a merge forgets what this process remembers of them.
                if (IsMergedEntityError(e)) KnownEntities.Forget(-1);
                ForgetBrokenConnections();
                await Task.Delay(delay, ct);
                delay *= 2;
            }
        }
    }

    /// <summary>Applies the migrations not applied yet, each in its own transaction, in version order.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var migrationLock = await LockForMigrationAsync(connection, ct);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
        foreach (var (version, name, sql) in Migrations())
        {
            if (applied.Contains(version)) continue;
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(sql, transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)",
                new { version, name, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            await transaction.CommitAsync(ct);
        }
        // Keys are folded by the application, never by SQL: those of rows stored without one (before the migration that
        // made keys, or by an older version of the service) are filled in now.
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await EntityKeyBackfill.RunAsync(this, connection, transaction);
            await transaction.CommitAsync(ct);
        }
    }

    /// <summary>Keeps other processes from migrating at the same time until disposed (nodes may start together).</summary>
    protected abstract Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken ct);

    private IEnumerable<(long Version, string Name, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(MigrationPrefix)).Order(StringComparer.Ordinal))
        {
            var name = resource[MigrationPrefix.Length..^".sql".Length];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (long.Parse(name[..name.IndexOf('_')]), name, reader.ReadToEnd());
        }
    }
}
