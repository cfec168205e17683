using System.Xml;
using System.Xml.Linq;

namespace Aggregator.Core.Parsing;

/// <summary>An XML tree as far as the document could be read, and which of its elements it broke off inside.</summary>
/// <param name="Unclosed">Elements open where the document broke off: their content is incomplete.</param>
/// <param name="Break">Why and where reading stopped early (inside the document or after its root); null for a well-formed document.</param>
public sealed record XmlTree(XElement Root, IReadOnlySet<XElement> Unclosed, string? Break);

/// <summary>
/// Reads XML into a tree with a streaming reader that never processes a DTD, and keeps what came before the point
/// where a document breaks off (a truncated download, a stray tag), as lenient feed readers do, so that the complete
/// items before the break are not lost with the rest. The tree is built without recursion.
/// </summary>
public static class LenientXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <returns>The tree, or null when not even the root element's start could be read.</returns>
    /// <exception cref="FeedParseException">The document is over the budget's limits (nesting, attributes, time).</exception>
    public static (XmlTree? Tree, string? Error) Read(string xml, ParseBudget budget)
    {
        var open = new Stack<XElement>();
        XElement? root = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            while (reader.Read())
            {
                if (budget.Problem(reader) is { } problem) throw new FeedParseException(problem);
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                        var empty = reader.IsEmptyElement;
                        while (reader.MoveToNextAttribute())
                            if (reader.NamespaceURI != "http://www.w3.org/2000/xmlns/")
                                element.SetAttributeValue(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value);
                        if (open.TryPeek(out var parent)) parent.Add(element);
                        else if (root is null) root = element;
                        if (!empty) open.Push(element);
                        break;
                    case XmlNodeType.EndElement:
                        open.Pop();
                        break;
                    case XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        if (open.TryPeek(out var textParent)) textParent.Add(new XText(reader.Value));
                        break;
                    case XmlNodeType.CDATA:
                        if (open.TryPeek(out var cdataParent)) cdataParent.Add(new XCData(reader.Value));
                        break;
                }
            }
            return root is null ? (null, "The document has no root element.") : (new XmlTree(root, new HashSet<XElement>(), null), null);
        }
        catch (XmlException e)
        {
            if (root is null) return (null, e.Message);
            // Past the root's end (junk after the document) every item is complete, but the document is still broken.
            return (new XmlTree(root, open.ToHashSet(), e.Message), e.Message);
        }
    }
}
