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
        xml = Doctype().Replace(xml, "");
        xml = XmlDeclaration().Replace(xml, "<?xml version=\"1.0\"?>", 1);
        xml = FixEntitiesOutsideCData(xml);
        return RemoveInvalidCharacters(xml);
    }

    /// <summary>CDATA sections are literal text: an ampersand there is already right.</summary>
    private static string FixEntitiesOutsideCData(string xml)
    {
        var builder = new StringBuilder(xml.Length + 64);
        var position = 0;
        foreach (Match cdata in CData().Matches(xml))
        {
            builder.Append(Entity().Replace(xml[position..cdata.Index], FixEntity)).Append(cdata.Value);
            position = cdata.Index + cdata.Length;
        }
        return builder.Append(Entity().Replace(xml[position..], FixEntity)).ToString();
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

    [GeneratedRegex(@"<!DOCTYPE(?:[^\[>]|\[(?:[^\]""']|""[^""]*""|'[^']*')*\])*>", RegexOptions.IgnoreCase)]
    private static partial Regex Doctype();

    [GeneratedRegex(@"<!\[CDATA\[[\s\S]*?\]\]>")]
    private static partial Regex CData();

    [GeneratedRegex(@"^<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    /// <summary>Any &amp;, with the entity or character reference that follows it when there is one.</summary>
    [GeneratedRegex(@"&(?:(?<name>#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)?")]
    private static partial Regex Entity();
}
