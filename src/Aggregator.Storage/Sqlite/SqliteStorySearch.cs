using System.Data.Common;
using Aggregator.Core.Model;
using Aggregator.Storage.Sql;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage.Sqlite;

/// <summary>Story search over the FTS5 index stories_fts (title, text, entity_terms), whose rowid is the story id.</summary>
internal sealed class SqliteStorySearch : StorySearch
{
    /// <summary>bm25 weights: a match in the title counts four times one in the text; entity ids do not rank.</summary>
    private const string Weights = "4.0, 1.0, 0.0"; // title, text, entity_terms

    /// <summary>
    /// The columns of a listed story. Its snippet is from its text around the words searched for (column 1: never the
    /// entity_terms column, which a best-column snippet picks when only entities were asked for), or else its plain start.
    /// </summary>
    private static string SummaryColumns(StoryQuery query) =>
        $"s.id, {ListedTitle(query)}, s.link, s.published, s.first_seen, s.language, " + (query.Text is null
            ? PlainSnippet("s")
            : $"snippet(stories_fts, 1, '{Snippets.MarkStart}', '{Snippets.MarkEnd}', '…', 24)") + " AS snippet";

    public override async Task<List<long>> MentioningAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<long> entityIds) =>
        (await connection.QueryAsync<long>("SELECT rowid FROM stories_fts WHERE stories_fts MATCH @match ORDER BY rowid",
            new { match = Fts5Query.Render(new StoryQuery { EntityFilters = [entityIds.ToList()] }) }, transaction)).ToList();

    public override async Task<List<SummaryRow>> FindAsync(DbConnection connection, StoryQuery query, long offset, long settledMs, CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        var relevance = query.RanksByRelevance;
        var match = Fts5Query.Render(query);
        var idColumn = match is null ? "s.id" : "stories_fts.rowid";
        var where = CommonFilters(query, idColumn, relevance, settledMs, parameters);
        if (match is null)
            return (await connection.QueryAsync<SummaryRow>($"""
                SELECT {SummaryColumns(query)} FROM stories s {Where(where)} ORDER BY {Order(query)} LIMIT @limit
                """, parameters)).ToList();

        where.Insert(0, "stories_fts MATCH @match");
        parameters.Add("match", match);
        parameters.Add("offset", offset);
        try
        {
            // CROSS JOIN keeps the FTS index as the outer loop: the other way round, SQLite would probe the full-text
            // match once per story.
            if (!relevance)
                return (await connection.QueryAsync<SummaryRow>($"""
                    SELECT {SummaryColumns(query)} FROM stories_fts CROSS JOIN stories s ON s.id = stories_fts.rowid
                    {Where(where)} ORDER BY {Order(query, id: "stories_fts.rowid")} LIMIT @limit
                    """, parameters)).ToList();
            // Relevance: bm25 alone ranks the candidates (cheap), then each story of the page gets its snippet through
            // the FTS index's rowid lookup — a snippet costs far more than a rank, and a second MATCH over all rows
            // would cost more still.
            var ids = (await connection.QueryAsync<long>($"""
                SELECT rowid FROM (
                    SELECT stories_fts.rowid AS rowid, bm25(stories_fts, {Weights}) AS rank
                    FROM stories_fts CROSS JOIN stories s ON s.id = stories_fts.rowid
                    {Where(where)} ORDER BY stories_fts.rowid DESC LIMIT {RelevanceCandidates})
                ORDER BY rank, rowid DESC LIMIT @limit OFFSET @offset
                """, parameters)).ToList();
            var rows = new List<SummaryRow>(ids.Count);
            foreach (var id in ids)
                rows.Add(await connection.QuerySingleAsync<SummaryRow>(
                    $"SELECT {SummaryColumns(query)} FROM stories_fts CROSS JOIN stories s ON s.id = stories_fts.rowid WHERE stories_fts MATCH @match AND stories_fts.rowid = @id",
                    new { match, id, feedId = query.FeedId }));
            return rows;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            throw new SearchSyntaxException($"The search could not be run: {e.Message}");
        }
    }
}
