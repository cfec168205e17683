using Aggregator.Core.Model;

namespace Aggregator.Storage.Sqlite;

/// <summary>
/// Renders a story search as an FTS5 MATCH expression. Every user word is double-quoted and confined to the title and
/// text columns, so nothing a user types can be read as FTS5 syntax (column filters, NEAR, stray operators) — the only
/// syntax is what <see cref="SearchExpression"/> allows. Entity filters match the entity_terms column ("e12").
/// </summary>
internal static class Fts5Query
{
    public static string? Render(StoryQuery query)
    {
        var parts = new List<string>();
        if (query.Text is { } text) parts.Add("{title text} : (" + Render(text) + ")");
        if (query.EntityFilters.Count > 0)
        {
            var filters = query.EntityFilters.Select(ids => "(" + string.Join(" OR ", ids.Select(id => $"e{id}")) + ")");
            parts.Add("entity_terms : (" + string.Join(query.MatchAny ? " OR " : " AND ", filters) + ")");
        }
        return parts.Count == 0 ? null : string.Join(" AND ", parts);
    }

    /// <summary>The words of an entity set as they are indexed.</summary>
    public static string EntityTerms(IEnumerable<long> entityIds) => string.Join(' ', entityIds.Distinct().Order().Select(id => $"e{id}"));

    /// <summary>The entity ids of an entity_terms value, as <see cref="EntityTerms"/> wrote them.</summary>
    public static IEnumerable<long> EntityIds(string entityTerms) =>
        entityTerms.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(term => long.Parse(term.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture));

    private static string Render(SearchExpression expression) =>
        string.Join(" OR ", expression.Alternatives.Select(alternative =>
        {
            var required = string.Join(" ", alternative.Where(t => !t.Negated).Select(Term));
            var excluded = string.Concat(alternative.Where(t => t.Negated).Select(t => " NOT " + Term(t)));
            return $"({required}{excluded})";
        }));

    private static string Term(SearchTerm term) =>
        "\"" + string.Join(" ", term.Words).Replace("\"", "\"\"") + "\"" + (term.Prefix ? "*" : "");
}
