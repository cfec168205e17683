using Aggregator.Core.Model;

namespace Aggregator.Storage.Sqlite;

/// <summary>
/// Renders a parsed search as an FTS5 MATCH expression. Every word is double-quoted, so nothing a user types can be
/// read as FTS5 syntax (column filters, NEAR, stray operators) — the only syntax is what <see cref="SearchExpression"/> allows.
/// </summary>
internal static class Fts5Query
{
    public static string Render(SearchExpression expression) =>
        string.Join(" OR ", expression.Alternatives.Select(alternative =>
        {
            var required = string.Join(" ", alternative.Where(t => !t.Negated).Select(Term));
            var excluded = string.Concat(alternative.Where(t => t.Negated).Select(t => " NOT " + Term(t)));
            return $"({required}{excluded})";
        }));

    private static string Term(SearchTerm term) =>
        "\"" + string.Join(" ", term.Words).Replace("\"", "\"\"") + "\"" + (term.Prefix ? "*" : "");
}
