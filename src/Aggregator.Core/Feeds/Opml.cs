using System.Xml;
using System.Xml.Linq;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;

namespace Aggregator.Core.Feeds;

/// <summary>OPML 2.0 subscription lists, the format feed readers exchange.</summary>
public static class Opml
{
    public sealed record Outline(string? Url, string? Title);

    /// <summary>Feeds one import may add: each is scheduled on its own, so an import costs in proportion to them.</summary>
    public const int MaxOutlines = 1_000;

    /// <summary>Every outline with an xmlUrl, at any depth, read as a stream within <see cref="ParseLimits.Default"/>.</summary>
    /// <exception cref="InvalidDataException">The document is not OPML, or exceeds the limits.</exception>
    public static IReadOnlyList<Outline> Read(Stream stream)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        var budget = ParseLimits.Default.Start();
        var outlines = new List<Outline>();
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "opml")
                throw new InvalidDataException("The document is not OPML: its root element is not <opml>.");
            do
            {
                if (budget.Problem(reader) is { } problem) throw new InvalidDataException($"The OPML document cannot be imported: {problem}");
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "outline" || reader.GetAttribute("xmlUrl") is not { } url) continue;
                if (outlines.Count == MaxOutlines)
                    throw new InvalidDataException($"The OPML document lists more than {MaxOutlines:N0} feeds: import it in parts.");
                outlines.Add(new Outline(url, reader.GetAttribute("title") ?? reader.GetAttribute("text")));
            }
            while (reader.Read());
        }
        catch (XmlException e) { throw new InvalidDataException($"The OPML document is not valid XML: {e.Message}", e); }
        return outlines;
    }

    public static string Write(IEnumerable<Feed> feeds)
    {
        var body = new XElement("body", feeds.Select(f => new XElement("outline",
            new XAttribute("type", "rss"),
            new XAttribute("text", f.Name),
            new XAttribute("title", f.Name),
            new XAttribute("xmlUrl", f.Url))));
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement("opml", new XAttribute("version", "2.0"),
                new XElement("head", new XElement("title", "Aggregator feeds")),
                body));
        return document.Declaration + Environment.NewLine + document.ToString();
    }
}
