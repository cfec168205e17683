using Aggregator.Core.Stores;
using Aggregator.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Storage;

public static class StorageServices
{
    /// <summary>Registers the stores of the configured provider (Storage:Provider).</summary>
    /// <exception cref="InvalidOperationException">The provider is not known.</exception>
    public static IServiceCollection AddAggregatorStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (!string.Equals(options.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use 'Sqlite'.");
        services.AddSingleton(new SqliteDatabase(options.Sqlite.Path));
        services.AddSingleton<IFeedStore, SqliteFeedStore>();
        services.AddSingleton<IStoryStore, SqliteStoryStore>();
        services.AddSingleton<IEntityStore, SqliteEntityStore>();
        services.AddSingleton<IDatabaseMigrator, SqliteMigrator>();
        return services;
    }
}

/// <summary>Brings the database schema up to date; run once at start-up.</summary>
public interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken ct = default);
}

internal sealed class SqliteMigrator(SqliteDatabase database) : IDatabaseMigrator
{
    public Task MigrateAsync(CancellationToken ct = default) => database.MigrateAsync(ct);
}
