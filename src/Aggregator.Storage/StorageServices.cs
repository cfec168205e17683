using Aggregator.Core.Stores;
using Aggregator.Storage.Postgres;
using Aggregator.Storage.Sql;
using Aggregator.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Storage;

public static class StorageServices
{
    /// <summary>Registers the stores of the configured provider (Storage:Provider).</summary>
    /// <exception cref="InvalidOperationException">The provider is not known, or its settings are missing.</exception>
    public static IServiceCollection AddAggregatorStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = StorageOptions.From(configuration);
        services.AddSingleton(options);
        if (options.IsPostgres)
        {
            // Made by the container, so that it disposes the connection pool with it.
            services.AddSingleton(_ => new PostgresDatabase(options.Postgres.ConnectionString!));
            services.AddSingleton<SqlDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
        }
        else
        {
            services.AddSingleton(new SqliteDatabase(options.Sqlite.Path, options.Sqlite.BusyTimeout, options.Sqlite.MaxSizeMiB));
            services.AddSingleton<SqlDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
        }
        services.AddSingleton(sp => sp.GetRequiredService<SqlDatabase>().Search);
        services.AddSingleton<EntityEdits>();
        services.AddSingleton<IFeedStore, FeedStore>();
        services.AddSingleton<IStoryStore, StoryStore>();
        services.AddSingleton<IEntityStore, EntityStore>();
        services.AddSingleton<IDatabaseMigrator, Migrator>();
        return services;
    }
}

/// <summary>Brings the database schema up to date; run once at start-up.</summary>
public interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken ct = default);
}

internal sealed class Migrator(SqlDatabase database) : IDatabaseMigrator
{
    public Task MigrateAsync(CancellationToken ct = default) => database.MigrateAsync(ct);
}
