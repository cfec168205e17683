using Aggregator.Tests.Support;

namespace Aggregator.Tests.Stores;

/// <summary>
/// The store contract on PostgreSQL: a database of its own per test on the server AGGREGATOR_TEST_POSTGRES names
/// (.ci/run starts one); skipped, saying why, without it.
/// </summary>
public sealed class PostgresStoreContractTests : StoreContractTests
{
    private TestDatabase? _database;

    protected override async Task<Dictionary<string, string?>> ProviderSettingsAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        return new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = _database.ConnectionString,
        };
    }

    protected override async Task CleanupAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
