using Aggregator.Core.Model;
using Microsoft.Data.Sqlite;

namespace Aggregator.Tests.Stores;

/// <summary>The store contract on SQLite: a database file in a folder of its own per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aggregator-tests", "contract-" + Guid.NewGuid().ToString("N"));

    protected override Task<Dictionary<string, string?>> ProviderSettingsAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:Sqlite:Path"] = Path.Combine(_directory, "aggregator.db"),
        });
    }

    /// <summary>Another process's write transaction: writers find the database busy, readers carry on (WAL).</summary>
    protected override async Task<IAsyncDisposable> OutageAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "aggregator.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }
        return connection; // closing it rolls the transaction back and releases the lock
    }

    protected override Task CleanupAsync()
    {
        SqliteConnection.ClearAllPools(); // pooled connections keep the file (and its WAL) open
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The FTS5 tokenizer folds diacritics (remove_diacritics 2). Kept out of the shared contract: PostgreSQL full-text
    /// search folds case but not accents unless the unaccent extension is installed and used, which is a deployment
    /// choice rather than something every provider can promise.
    /// </summary>
    [Fact]
    public async Task Search_folds_diacritics_both_ways()
    {
        await SearchCorpusAsync();
        var wire = await FeedAsync("Extra");
        await StoreAsync(Draft(wire.Id, Base.AddHours(6), "Cafe owners protest", "Owners of cafes marched."));

        Assert.Equal(["Markets rally"], await TitlesAsync(new StoryQuery { Text = Text("zurich") }));
        Assert.Equal(["Markets rally"], await TitlesAsync(new StoryQuery { Text = Text("ZÜRICH") }));
        Assert.Equal(["Cafe owners protest"], await TitlesAsync(new StoryQuery { Text = Text("café") }));
    }
}
