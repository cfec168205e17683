namespace Aggregator.Core.Extraction;

internal enum MarkupTokenKind { Text, StartTag, EndTag }

/// <summary>One token: a tag's name, or a run of text (still with its character references), as ranges of the source.</summary>
internal readonly record struct MarkupToken(MarkupTokenKind Kind, int Start, int Length, bool SelfClosing = false);

/// <summary>
/// Splits HTML into start tags, end tags and text in one forward pass without building a tree, following the
/// tokenizer states of the HTML standard that decide where a tag, comment or raw text ends (quoted attribute values,
/// "&lt;!--&gt;", "--!&gt;", bogus comments). Comments, doctypes and processing instructions are skipped. Whether an
/// element's content is raw text depends on where it stands (not inside svg or math), so the caller says so with
/// <see cref="SkipRawText"/> after its start tag.
/// </summary>
internal ref struct MarkupTokenizer(ReadOnlySpan<char> html)
{
    private readonly ReadOnlySpan<char> _html = html;
    private int _position;

    public ReadOnlySpan<char> Source => _html;

    public ReadOnlySpan<char> NameOf(MarkupToken token) => _html.Slice(token.Start, token.Length);

    public bool Next(out MarkupToken token)
    {
        while (_position < _html.Length)
        {
            var start = _position;
            var lt = _html[start..].IndexOf('<');
            if (lt != 0)
            {
                _position = lt < 0 ? _html.Length : start + lt;
                token = new MarkupToken(MarkupTokenKind.Text, start, _position - start);
                return true;
            }
            var after = start + 1;
            if (after < _html.Length && char.IsAsciiLetter(_html[after]))
            {
                token = ReadTag(MarkupTokenKind.StartTag, after);
                return true;
            }
            if (after + 1 < _html.Length && _html[after] == '/' && char.IsAsciiLetter(_html[after + 1]))
            {
                token = ReadTag(MarkupTokenKind.EndTag, after + 1);
                return true;
            }
            if (_html[after..].StartsWith("!--")) SkipComment(after + 3);
            else if (after < _html.Length && _html[after] is '!' or '?' or '/') SkipTo('>', after); // doctype, bogus comment, "</>"
            else
            {
                // A '<' that opens nothing is text.
                _position = after;
                token = new MarkupToken(MarkupTokenKind.Text, start, 1);
                return true;
            }
        }
        token = default;
        return false;
    }

    /// <summary>Skips an element's raw text (script, style...) up to its end tag, which it leaves to be read next.</summary>
    /// <returns>The raw text's range.</returns>
    public (int Start, int Length) SkipRawText(ReadOnlySpan<char> name)
    {
        var start = _position;
        for (var at = start; at < _html.Length; at++)
        {
            var lt = _html[at..].IndexOf("</");
            if (lt < 0) break;
            at += lt;
            var end = at + 2 + name.Length;
            if (end <= _html.Length && _html.Slice(at + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (end == _html.Length || EndsName(_html[end])))
            {
                _position = at;
                return (start, at - start);
            }
        }
        _position = _html.Length;
        return (start, _html.Length - start);
    }

    /// <summary>A tag to its closing '&gt;', through the attribute states: only a quoted value may hold '&gt;'.</summary>
    private MarkupToken ReadTag(MarkupTokenKind kind, int nameStart)
    {
        var at = nameStart;
        while (at < _html.Length && !EndsName(_html[at])) at++;
        var nameLength = at - nameStart;
        var selfClosing = false;
        while (at < _html.Length)
        {
            var c = _html[at];
            if (IsSpace(c)) { at++; continue; }
            if (c == '>') { at++; break; }
            if (c == '/')
            {
                selfClosing = at + 1 < _html.Length && _html[at + 1] == '>';
                at++;
                continue;
            }
            // An attribute name; its first character may be '=' (a parse error the standard keeps in the name).
            at++;
            while (at < _html.Length && !EndsName(_html[at]) && _html[at] != '=') at++;
            while (at < _html.Length && IsSpace(_html[at])) at++;
            if (at >= _html.Length || _html[at] != '=') continue;
            at++;
            while (at < _html.Length && IsSpace(_html[at])) at++;
            if (at < _html.Length && _html[at] is '"' or '\'')
            {
                var close = _html[(at + 1)..].IndexOf(_html[at]);
                at = close < 0 ? _html.Length : at + 1 + close + 1;
            }
            else
            {
                while (at < _html.Length && !IsSpace(_html[at]) && _html[at] != '>') at++;
            }
        }
        _position = at;
        return new MarkupToken(kind, nameStart, nameLength, selfClosing);
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    private static bool EndsName(char c) => IsSpace(c) || c is '/' or '>';

    /// <summary>A comment ends at "--&gt;" or "--!&gt;", or at once when it opens as "&lt;!--&gt;" or "&lt;!---&gt;".</summary>
    private void SkipComment(int bodyStart)
    {
        var body = _html[bodyStart..];
        if (body.StartsWith(">")) { _position = bodyStart + 1; return; }
        if (body.StartsWith("->")) { _position = bodyStart + 2; return; }
        var end = body.IndexOf("-->");
        var bang = body.IndexOf("--!>");
        if (bang >= 0 && (end < 0 || bang < end)) _position = bodyStart + bang + 4;
        else _position = end < 0 ? _html.Length : bodyStart + end + 3;
    }

    private void SkipTo(char c, int from)
    {
        var at = _html[from..].IndexOf(c);
        _position = at < 0 ? _html.Length : from + at + 1;
    }
}
