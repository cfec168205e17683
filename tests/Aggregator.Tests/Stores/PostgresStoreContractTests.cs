using Aggregator.Core.Model;
using Aggregator.Nlp;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Stores;

/// <summary>
/// The store contract on PostgreSQL: a database of its own per test on the server AGGREGATOR_TEST_POSTGRES names
/// (.ci/run starts one); skipped, saying why, without it.
/// </summary>
public sealed class PostgresStoreContractTests : StoreContractTests, IClassFixture<PostgresSkipNotice>
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

    /// <summary>
    /// PostgreSQL compares entity names and aliases through lower(), which folds every letter. SQLite's NOCASE folds
    /// ASCII only, so there "ürümqi" does not find "Ürümqi" (a known limit, in the README).
    /// </summary>
    [SkippableFact]
    public async Task Names_match_in_any_case_beyond_ascii()
    {
        var wire = await FeedAsync("Wire");
        var city = new Named("Ürümqi", EntityType.Location);
        await StoreAsync(About(wire.Id, Base, city));
        var id = await IdOfAsync(city);
        await StoreAsync(About(wire.Id, Base.AddHours(1), city with { Name = "ÜRÜMQI" })); // an all-caps headline: the same entity

        Assert.Equal([id], await Entities.ResolveAsync("ürümqi", null));
        Assert.Equal([id], await Entities.ResolveAsync("ÜRÜMQI", null));
        Assert.Equal([id], (await Entities.ListAsync(new EntityQuery { Prefix = "ürü" })).Select(e => e.Id));
        Assert.Equal(2, (await Entities.GetAsync(id))!.Stories);
    }
}
