using System.Xml;
using System.Xml.Linq;
using Aggregator.Core.Model;

namespace Aggregator.Core.Feeds;

/// <summary>OPML 2.0 subscription lists, the format feed readers exchange.</summary>
public static class Opml
{
    public sealed record Outline(string? Url, string? Title);

    /// <summary>Every outline with an xmlUrl, at any depth.</summary>
    /// <exception cref="InvalidDataException">The document is not OPML.</exception>
    public static IReadOnlyList<Outline> Read(Stream stream)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException e) { throw new InvalidDataException($"The OPML document is not valid XML: {e.Message}", e); }
        if (document.Root?.Name.LocalName != "opml")
            throw new InvalidDataException("The document is not OPML: its root element is not <opml>.");
        return document.Descendants("outline")
            .Where(o => o.Attribute("xmlUrl") is not null)
            .Select(o => new Outline((string?)o.Attribute("xmlUrl"), (string?)o.Attribute("title") ?? (string?)o.Attribute("text")))
            .ToList();
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
