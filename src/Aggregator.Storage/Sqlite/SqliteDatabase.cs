using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage.Sqlite;

/// <summary>
/// The embedded database file: connections with the settings every one needs, and the versioned migrations.
/// WAL lets readers run while one writer commits; the busy timeout makes writers queue rather than fail.
/// </summary>
public sealed class SqliteDatabase
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

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    /// <summary>Applies the migrations not applied yet, each in its own transaction, in version order.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
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
    }

    private static IEnumerable<(long Version, string Name, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Migrations/Sqlite/";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix)).Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..^".sql".Length];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (long.Parse(name[..name.IndexOf('_')]), name, reader.ReadToEnd());
        }
    }
}
