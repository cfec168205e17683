using System.Text.Json;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Training;

/// <summary>A gold entity span: UTF-16 character offsets into the document text (end exclusive).</summary>
public readonly record struct GoldSpan(int Start, int End, EntityType Type);

/// <summary>A document with its gold entities.</summary>
public sealed record GoldDocument(string Id, string Text, IReadOnlyList<GoldSpan> Spans);

/// <summary>One corpus line: where it came from, the raw markup and the parsed document.</summary>
public sealed record CorpusLine(string File, int LineNumber, string Markup, GoldDocument Document)
{
    /// <summary>True for the deterministic 15% held-out test split (FNV-1a of the line text).</summary>
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

    /// <summary>Loads every <c>*.txt</c> in <paramref name="directory"/> (sorted by name), one document per line; comment
    /// and blank lines skipped; malformed lines skipped with a warning.</summary>
    public static CorpusLoadResult LoadFolder(string directory)
    {
        var lines = new List<CorpusLine>();
        var warnings = new List<string>();
        var files = Directory.GetFiles(directory, "*.txt").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToArray();
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
        return new CorpusLoadResult(lines, warnings, files.Length);
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

    /// <summary>Loads gold JSON Lines: <c>{"id": ..., "text": ..., "entities": [{"start", "end", "type"}]}</c>.</summary>
    public static List<GoldDocument> LoadJsonl(string path)
    {
        var docs = new List<GoldDocument>();
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
            docs.Add(new GoldDocument(id, text, spans));
        }
        return docs;
    }
}
