using System.Data.Common;
using Aggregator.Core.Model;
using Aggregator.Storage.Sql;
using Dapper;
using Npgsql;

namespace Aggregator.Storage.Postgres;

/// <summary>
/// Story search over the generated tsvector columns: <c>search</c> (title weighted A, text D, in the "aggregator"
/// configuration: unaccented, unstemmed, like SQLite's unicode61) and <c>entity_search</c> (the "e12" entity words).
/// User words reach PostgreSQL only as parameters of <c>websearch_to_tsquery</c> (a quoted phrase) or, for a prefix,
/// of <c>to_tsquery</c> as quoted lexemes: the parser in Core already reduced them to letters and digits.
/// </summary>
internal sealed class PostgresStorySearch : StorySearch
{
    private static readonly string Headline = $"MaxFragments=1, MaxWords=24, MinWords=12, StartSel=\"{Snippets.MarkStart}\", StopSel=\"{Snippets.MarkEnd}\", FragmentDelimiter=\"…\"";

    public override async Task<List<long>> MentioningAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<long> entityIds) =>
        (await connection.QueryAsync<long>("SELECT id FROM stories WHERE entity_search @@ to_tsquery('simple', @terms) ORDER BY id",
            new { terms = string.Join(" | ", entityIds.Select(EntityTerms.Term)) }, transaction)).ToList();

    public override async Task<List<SummaryRow>> FindAsync(DbConnection connection, StoryQuery query, long offset, long settledMs, CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        var relevance = query.RanksByRelevance;
        var where = CommonFilters(query, "s.id", relevance, settledMs, parameters);
        var text = query.Text is { } expression ? TextQuery(expression, parameters) : null;
        if (text is not null) where.Add($"s.search @@ {text}");
        if (query.EntityFilters.Count > 0)
        {
            var filters = query.EntityFilters.Select(ids => "(" + string.Join(" | ", ids.Select(EntityTerms.Term)) + ")");
            where.Add("s.entity_search @@ to_tsquery('simple', @entities)");
            parameters.Add("entities", string.Join(query.MatchAny ? " | " : " & ", filters));
        }
        parameters.Add("offset", offset);
        // The page's ids are chosen first; only its rows are read whole and get a headline (ts_headline re-reads the
        // whole text).
        var page = relevance
            ? $"""
              SELECT id, rank FROM (
                  SELECT s.id, ts_rank(s.search, {text}) AS rank
                  FROM stories s {Where(where)} ORDER BY s.id DESC LIMIT {RelevanceCandidates}) candidates
              ORDER BY rank DESC, id DESC LIMIT @limit OFFSET @offset
              """
            : $"SELECT s.id FROM stories s {Where(where)} ORDER BY {Order(query)} LIMIT @limit";
        var snippet = text is null
            ? PlainSnippet("s")
            : $"ts_headline('aggregator', s.text, {text}, '{Headline}')";
        var order = relevance ? "p.rank DESC, p.id DESC" : Order(query);
        try
        {
            return (await connection.QueryAsync<SummaryRow>(new CommandDefinition($"""
                SELECT s.id, {ListedTitle(query)}, s.link, s.published, s.first_seen, s.language, {snippet} AS snippet
                FROM ({page}) p JOIN stories s ON s.id = p.id ORDER BY {order}
                """, parameters, cancellationToken: ct))).ToList();
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("42") || e.SqlState == PostgresErrorCodes.ProgramLimitExceeded)
        {
            throw new SearchSyntaxException($"The search could not be run: {e.MessageText}");
        }
    }

    /// <summary>The expression as a tsquery built from parameters: alternatives joined by ||, terms within one by &&.</summary>
    private static string TextQuery(SearchExpression expression, DynamicParameters parameters)
    {
        var index = 0;
        string Term(SearchTerm term)
        {
            var name = $"q{index++}";
            string call;
            if (term.Prefix)
            {
                parameters.Add(name, string.Join(" <-> ", term.Words.Select(w => $"'{w}'")) + ":*");
                call = $"to_tsquery('aggregator', @{name})";
            }
            else
            {
                parameters.Add(name, "\"" + string.Join(' ', term.Words) + "\"");
                call = $"websearch_to_tsquery('aggregator', @{name})";
            }
            return term.Negated ? $"!!{call}" : call;
        }
        return "(" + string.Join(" || ", expression.Alternatives.Select(a => "(" + string.Join(" && ", a.Select(Term)) + ")")) + ")";
    }
}
