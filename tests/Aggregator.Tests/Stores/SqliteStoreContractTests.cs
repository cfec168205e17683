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

    /// <summary>A table written past the 1 MiB limit from outside it: the file has no room left; dropping it frees its pages.</summary>
    protected override async Task<IAsyncDisposable> FullAsync()
    {
        await using (var connection = Open())
        {
            await connection.OpenAsync();
            await using var fill = connection.CreateCommand();
            fill.CommandText = "CREATE TABLE filler (b BLOB); INSERT INTO filler VALUES (randomblob(1200000));";
            await fill.ExecuteNonQueryAsync();
        }
        return new Freed(this);
    }

    private sealed class Freed(SqliteStoreContractTests test) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var connection = test.Open();
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE filler";
            await drop.ExecuteNonQueryAsync();
        }
    }

    private SqliteConnection Open() =>
        new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "aggregator.db"), Pooling = false }.ToString());

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
