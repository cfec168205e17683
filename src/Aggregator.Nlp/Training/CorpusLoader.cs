using System.Text.Json;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Training;

/// <summary>A gold entity span: UTF-16 character offsets into the document text (end exclusive).</summary>
public readonly record struct GoldSpan(int Start, int End, EntityType Type);

/// <summary>A document with its gold entities.</summary>
public sealed record GoldDocument(string Id, string Text, IReadOnlyList<GoldSpan> Spans);

/// <summary>One corpus document: a line of a line file, or a whole article of an <c>articles/</c> file (where it starts,
/// its raw markup and the parsed document).</summary>
public sealed record CorpusLine(string File, int LineNumber, string Markup, GoldDocument Document, bool IsArticle = false)
{
    /// <summary>True for the deterministic 15% held-out test split (FNV-1a of the markup: a whole article is held out
    /// or trained on as one, so its names never leak from training into the test).</summary>
    public bool IsHeldOut => CorpusLoader.IsHeldOut(Markup);
}

/// <summary>Result of loading a corpus folder.</summary>
public sealed record CorpusLoadResult(IReadOnlyList<CorpusLine> Lines, IReadOnlyList<string> Warnings, int FileCount);

/// <summary>Reads the inline-markup corpus (<c>[PER Sergei Lavrov]</c>, see Training/Corpus/GUIDELINES.md), gold story
/// files and gold JSON Lines.</summary>
public static class CorpusLoader
{
    /// <summary>Held-out share in thousandths.</summary>
    public const int HeldOutPerMille = 150;

    /// <summary>Stable split: FNV-1a (64-bit) of the trimmed line text; 15% of lines are held out as test.</summary>
    public static bool IsHeldOut(string line) => TokenHash.Fnv1a(line.Trim()) % 1000 < HeldOutPerMille;

    /// <summary>Parses inline markup into text and spans. Returns false (with a reason) for malformed markup: unknown
    /// label, nested or unbalanced brackets, empty entity.</summary>
    public static bool TryParse(string markup, out string text, out List<GoldSpan> spans, out string? error)
    {
        var sb = new System.Text.StringBuilder(markup.Length);
        spans = [];
        error = null;
        int i = 0;
        while (i < markup.Length)
        {
            char c = markup[i];
            if (c == ']') { error = $"unbalanced ']' at column {i + 1}"; text = ""; return false; }
            if (c != '[') { sb.Append(c); i++; continue; }
            int close = markup.IndexOf(']', i + 1);
            int nested = markup.IndexOf('[', i + 1);
            if (close < 0) { error = $"unclosed '[' at column {i + 1}"; text = ""; return false; }
            if (nested >= 0 && nested < close) { error = $"nested '[' at column {nested + 1}"; text = ""; return false; }
            int space = markup.IndexOf(' ', i + 1);
            if (space < 0 || space > close) { error = $"entity without label at column {i + 1}"; text = ""; return false; }
            string label = markup[(i + 1)..space];
            if (label is not ("PER" or "LOC" or "ORG") || !EntityTypes.TryParse(label, out var type))
            { error = $"unknown label '{label}' at column {i + 1}"; text = ""; return false; }
            string inner = markup[(space + 1)..close];
            string trimmed = inner.Trim();
            if (trimmed.Length == 0) { error = $"empty entity at column {i + 1}"; text = ""; return false; }
            int lead = inner.Length - inner.TrimStart().Length;
            sb.Append(inner, 0, lead);
            int start = sb.Length;
            sb.Append(trimmed);
            spans.Add(new GoldSpan(start, sb.Length, type));
            sb.Append(inner, lead + trimmed.Length, inner.Length - lead - trimmed.Length);
            i = close + 1;
        }
        text = sb.ToString();
        return true;
    }

    /// <summary>Folder of whole-article files inside the corpus folder.</summary>
    public const string ArticlesFolder = "articles";

    /// <summary>Line of an article file that ends one article and starts the next.</summary>
    public const string ArticleSeparator = "---";

    /// <summary>Loads every <c>*.txt</c> in <paramref name="directory"/> (sorted by name), one document per line, then
    /// every <c>articles/*.txt</c>, one document per article; comment and blank lines skipped; malformed documents
    /// skipped with a warning.</summary>
    public static CorpusLoadResult LoadFolder(string directory)
    {
        var lines = new List<CorpusLine>();
        var warnings = new List<string>();
        var files = SortedTextFiles(directory);
        var articleFiles = SortedTextFiles(Path.Combine(directory, ArticlesFolder));
        foreach (var file in files)
        {
            string name = Path.GetFileName(file);
            int lineNo = 0;
            foreach (var raw in File.ReadLines(file))
            {
                lineNo++;
                string line = raw.TrimEnd('\r');
                if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
                if (!TryParse(line.Trim(), out var text, out var spans, out var error))
                {
                    warnings.Add($"{name}:{lineNo}: skipped malformed line: {error}");
                    continue;
                }
                lines.Add(new CorpusLine(name, lineNo, line.Trim(), new GoldDocument($"{name}:{lineNo}", text, spans)));
            }
        }
        foreach (var file in articleFiles) LoadArticles(file, lines, warnings);
        return new CorpusLoadResult(lines, warnings, files.Length + articleFiles.Length);
    }

    private static string[] SortedTextFiles(string directory) => Directory.Exists(directory)
        ? Directory.GetFiles(directory, "*.txt").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToArray()
        : [];

    /// <summary>Articles separated by <see cref="ArticleSeparator"/> lines; paragraphs by blank lines, which the
    /// document text keeps as one blank line ("\n\n"), as a story's title and text are joined.</summary>
    private static void LoadArticles(string file, List<CorpusLine> documents, List<string> warnings)
    {
        string name = $"{ArticlesFolder}/{Path.GetFileName(file)}";
        var paragraphs = new List<string>();
        var paragraph = new System.Text.StringBuilder();
        int lineNo = 0, startLine = 0;

        void EndParagraph()
        {
            if (paragraph.Length > 0) paragraphs.Add(paragraph.ToString());
            paragraph.Clear();
        }

        void EndArticle()
        {
            EndParagraph();
            if (paragraphs.Count > 0)
            {
                string markup = string.Join("\n\n", paragraphs);
                if (TryParse(markup, out var text, out var spans, out var error))
                    documents.Add(new CorpusLine(name, startLine, markup, new GoldDocument($"{name}:{startLine}", text, spans), IsArticle: true));
                else
                    warnings.Add($"{name}:{startLine}: skipped malformed article: {error}");
            }
            paragraphs.Clear();
            startLine = 0;
        }

        foreach (var raw in File.ReadLines(file))
        {
            lineNo++;
            string line = raw.TrimEnd('\r').Trim();
            if (line.StartsWith('#')) continue;
            if (line == ArticleSeparator) { EndArticle(); continue; }
            if (line.Length == 0) { EndParagraph(); continue; }
            if (startLine == 0) startLine = lineNo;
            if (paragraph.Length > 0) paragraph.Append('\n');
            paragraph.Append(line);
        }
        EndArticle();
    }

    /// <summary>Loads a gold story file: multi-paragraph markup; document text = file text without markup, trailing
    /// whitespace trimmed.</summary>
    public static GoldDocument LoadStory(string path)
    {
        string markup = File.ReadAllText(path).Replace("\r\n", "\n");
        if (!TryParse(markup, out var text, out var spans, out var error))
            throw new InvalidDataException($"{path}: {error}");
        text = text.TrimEnd();
        spans.RemoveAll(s => s.End > text.Length);
        return new GoldDocument(Path.GetFileNameWithoutExtension(path), text, spans);
    }

    /// <summary>Loads gold JSON Lines: <c>{"id": ..., "text": ..., "entities": [{"start", "end", "type"}]}</c>. With
    /// <paramref name="joinDocuments"/>, consecutive lines of one <c>"doc"</c> (sentences of one article) become one
    /// document, joined by line breaks, as the tagger meets an article; lines without <c>"doc"</c> stay alone.</summary>
    public static List<GoldDocument> LoadJsonl(string path, bool joinDocuments)
    {
        var lines = LoadJsonlLines(path);
        if (!joinDocuments) return lines.Select(l => l.Document).ToList();
        var docs = new List<GoldDocument>();
        for (int i = 0; i < lines.Count;)
        {
            int j = i + 1;
            while (j < lines.Count && lines[i].Doc is { } d && lines[j].Doc == d) j++;
            if (j == i + 1) { docs.Add(lines[i].Document); i = j; continue; }
            var text = new System.Text.StringBuilder();
            var spans = new List<GoldSpan>();
            for (int k = i; k < j; k++)
            {
                if (k > i) text.Append('\n');
                int offset = text.Length;
                text.Append(lines[k].Document.Text);
                spans.AddRange(lines[k].Document.Spans.Select(s => s with { Start = s.Start + offset, End = s.End + offset }));
            }
            docs.Add(new GoldDocument($"doc {lines[i].Doc}", text.ToString(), spans));
            i = j;
        }
        return docs;
    }

    /// <summary>Loads gold JSON Lines, one document per line.</summary>
    public static List<GoldDocument> LoadJsonl(string path) => LoadJsonl(path, joinDocuments: false);

    private static List<(GoldDocument Document, string? Doc)> LoadJsonlLines(string path)
    {
        var docs = new List<(GoldDocument, string?)>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            string id = root.TryGetProperty("id", out var idEl) ? (idEl.ValueKind == JsonValueKind.String ? idEl.GetString() ?? "" : idEl.GetRawText()) : lineNo.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string text = root.GetProperty("text").GetString() ?? "";
            var spans = new List<GoldSpan>();
            if (root.TryGetProperty("entities", out var ents) && ents.ValueKind == JsonValueKind.Array)
                foreach (var e in ents.EnumerateArray())
                {
                    if (!EntityTypes.TryParse(e.GetProperty("type").GetString() ?? "", out var type))
                        throw new InvalidDataException($"{path}:{lineNo}: unknown entity type");
                    spans.Add(new GoldSpan(e.GetProperty("start").GetInt32(), e.GetProperty("end").GetInt32(), type));
                }
            string? group = root.TryGetProperty("doc", out var docEl) ? docEl.ToString() : null;
            docs.Add((new GoldDocument(id, text, spans), group));
        }
        return docs;
    }
}
