using Microsoft.Extensions.Configuration;

namespace Aggregator.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"Sqlite" (the embedded default) or "Postgres" (several API and worker nodes over one server).</summary>
    public string Provider { get; set; } = "Sqlite";
    public SqliteSettings Sqlite { get; set; } = new();

    /// <summary>
    /// How long after being stored a story becomes visible to polling with ?since= (and the stream): longer than any
    /// writer's transaction, so that no story committed late can fall behind a poller's position.
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(2);
    public PostgresSettings Postgres { get; set; } = new();

    /// <summary>A statement or transaction the database fails transiently (busy, connection lost, server restarting) is tried again this often.</summary>
    public int TransientRetries { get; set; } = 5;
    /// <summary>The wait before the first retry; it doubles each time (0.1 + 0.2 + 0.4 + 0.8 + 1.6 s by default).</summary>
    public TimeSpan TransientRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Readiness writes a probe row at most this often, however often it is asked.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsPostgres => string.Equals(Provider, "Postgres", StringComparison.OrdinalIgnoreCase);

    public sealed class SqliteSettings
    {
        public string Path { get; set; } = "data/aggregator.db";
        /// <summary>How long a writer waits for another's write lock before SQLite reports the database busy.</summary>
        public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>Largest the database file may grow, in MiB (0: as large as the disk allows); beyond it writes fail as on a full disk.</summary>
        public int MaxSizeMiB { get; set; }
    }

    public sealed class PostgresSettings
    {
        /// <summary>An Npgsql connection string; Hangfire keeps its job tables in the same database (schema "hangfire").</summary>
        public string? ConnectionString { get; set; }
    }

    /// <summary>The section, checked: an unknown provider, or Postgres without a connection string, stops start-up.</summary>
    /// <exception cref="InvalidOperationException">The settings cannot work.</exception>
    public static StorageOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<StorageOptions>() ?? new StorageOptions();
        if (!options.IsPostgres && !string.Equals(options.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use 'Sqlite' or 'Postgres'.");
        if (options.IsPostgres && string.IsNullOrWhiteSpace(options.Postgres.ConnectionString))
            throw new InvalidOperationException("Storage:Provider is 'Postgres' but Storage:Postgres:ConnectionString is not set.");
        return options;
    }
}
