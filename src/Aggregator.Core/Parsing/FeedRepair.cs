using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Mends the faults real feeds carry before a strict XML parser sees them, as feedparser and Miniflux do:
/// text before the root, HTML entities XML does not define (&amp;nbsp;), bare ampersands, characters XML forbids,
/// and an encoding declaration that no longer applies once the text is decoded. Removes any DOCTYPE, so that no
/// entity is ever expanded (a DTD in a feed has no legitimate use and is how XXE and entity bombs arrive).
/// </summary>
public static partial class FeedRepair
{
    public static string Repair(string xml)
    {
        var start = xml.IndexOf('<');
        if (start > 0) xml = xml[start..];
        xml = XmlDeclaration().Replace(xml, "<?xml version=\"1.0\"?>", 1);
        xml = MendMarkup(xml);
        return RemoveInvalidCharacters(xml);
    }

    /// <summary>
    /// One forward pass: CDATA sections and comments are literal text and stay as they are (an ampersand there is
    /// already right, a "&lt;!DOCTYPE" there is text); DOCTYPEs elsewhere are removed; entities are mended in the rest.
    /// Every search starts where the last one ended, so the pass is linear whatever the document holds.
    /// </summary>
    private static string MendMarkup(string xml)
    {
        var builder = new StringBuilder(xml.Length + 64);
        var plainFrom = 0;
        var at = 0;
        // Once a DOCTYPE runs to the end unclosed, the document is refused anyway: looking again from each later
        // "<!DOCTYPE" would make the pass quadratic.
        var doctypesClose = true;
        while ((at = xml.IndexOf('<', at)) >= 0)
        {
            var rest = xml.AsSpan(at);
            int end;
            bool keep;
            if (rest.StartsWith("<![CDATA[")) (end, keep) = (EndOf(xml, at + 9, "]]>"), true);
            else if (rest.StartsWith("<!--")) (end, keep) = (EndOf(xml, at + 4, "-->"), true);
            else if (doctypesClose && rest.StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
            {
                (end, keep) = (DoctypeEnd(xml, at + 9), false);
                doctypesClose = end >= 0;
                if (!doctypesClose)
                {
                    at++;
                    continue;
                }
            }
            else
            {
                at++;
                continue;
            }
            builder.Append(Entity().Replace(xml[plainFrom..at], FixEntity));
            if (keep) builder.Append(xml, at, end - at);
            plainFrom = at = end;
        }
        return builder.Append(Entity().Replace(xml[plainFrom..], FixEntity)).ToString();
    }

    /// <summary>Just past the terminator, or the end of the text when it never comes.</summary>
    private static int EndOf(string xml, int from, string terminator)
    {
        var at = xml.IndexOf(terminator, from, StringComparison.Ordinal);
        return at < 0 ? xml.Length : at + terminator.Length;
    }

    /// <summary>
    /// Just past the DOCTYPE's closing '&gt;': outside quoted identifiers and the internal subset, whose declarations
    /// may hold quoted '&gt;' and ']' and comments. -1 when it never closes (the strict reader then refuses the DTD).
    /// </summary>
    private static int DoctypeEnd(string xml, int from)
    {
        var quote = '\0';
        var inSubset = false;
        for (var at = from; at < xml.Length; at++)
        {
            var c = xml[at];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'') quote = c;
            else if (inSubset && c == '<' && xml.AsSpan(at).StartsWith("<!--"))
            {
                at = EndOf(xml, at + 4, "-->") - 1;
            }
            else if (c == '[') inSubset = true;
            else if (c == ']') inSubset = false;
            else if (c == '>' && !inSubset) return at + 1;
        }
        return -1;
    }

    private static string FixEntity(Match match)
    {
        var name = match.Groups["name"];
        if (!name.Success) return "&amp;";  // a bare & (in URLs, mostly)
        var value = name.Value;
        if (value.StartsWith('#') || value is "amp" or "lt" or "gt" or "quot" or "apos") return match.Value;
        var decoded = WebUtility.HtmlDecode(match.Value);
        if (decoded == match.Value) return "&amp;" + value + ";";  // unknown entity: keep it as text
        var builder = new StringBuilder();
        foreach (var rune in decoded.EnumerateRunes()) builder.Append("&#").Append(rune.Value).Append(';');
        return builder.ToString();
    }

    private static string RemoveInvalidCharacters(string xml)
    {
        if (!xml.AsSpan().ContainsAnyInRange('\u0000', '\u0008') && !xml.AsSpan().ContainsAny('\u000B', '\u000C', '\uFFFE')
            && !xml.AsSpan().ContainsAnyInRange('\u000E', '\u001F') && !xml.AsSpan().Contains('\uFFFF'))
            return xml;
        var builder = new StringBuilder(xml.Length);
        foreach (var c in xml)
            if (c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF')) builder.Append(c);
        return builder.ToString();
    }

    [GeneratedRegex(@"^<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    /// <summary>Any &amp;, with the entity or character reference that follows it when there is one.</summary>
    [GeneratedRegex(@"&(?:(?<name>#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)?")]
    private static partial Regex Entity();
}
