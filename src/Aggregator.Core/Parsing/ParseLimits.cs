using System.Diagnostics;
using System.Xml;

namespace Aggregator.Core.Parsing;

/// <summary>
/// What reading one XML document (a feed, an OPML list) may cost. The fetch's size cap does not bound the work: an
/// XML tree's cost grows with its nesting (50,000 nested elements took XDocument 7 s, 100,000 over a minute) and with
/// the attributes of one element, so both are capped; and the time, checked as the document is read.
/// </summary>
public sealed record ParseLimits(int MaxDepth, int MaxAttributes, TimeSpan Budget)
{
    /// <summary>Feeds nest a handful of levels (XHTML content a few dozen) and carry a few attributes per element.</summary>
    public static readonly ParseLimits Default = new(64, 64, TimeSpan.FromSeconds(10));

    /// <summary>The budget's clock, started now.</summary>
    public ParseBudget Start() => new(this);

    /// <summary>
    /// Counts the attributes of each tag in the text itself, before an XML reader sees it: the reader takes a start
    /// tag's attributes all at once, in time that grows with the square of their number (400,000 took it 8 s).
    /// </summary>
    /// <returns>Null when no tag has more than <see cref="MaxAttributes"/>; otherwise the problem.</returns>
    public string? AttributeProblem(string xml)
    {
        for (var at = xml.IndexOf('<'); at >= 0 && at < xml.Length; at = xml.IndexOf('<', at))
        {
            var rest = xml.AsSpan(at);
            if (rest.StartsWith("<![CDATA[")) at = Skip(xml, at, "]]>");
            else if (rest.StartsWith("<!--")) at = Skip(xml, at, "-->");
            else if (rest.StartsWith("<?")) at = Skip(xml, at, "?>");
            else
            {
                // Within a tag, outside quoted values, each '=' is an attribute.
                var (attributes, quote) = (0, '\0');
                for (at++; at < xml.Length && (quote != '\0' || xml[at] is not ('>' or '<')); at++)
                {
                    var c = xml[at];
                    if (quote != '\0') { if (c == quote) quote = '\0'; }
                    else if (c is '"' or '\'') quote = c;
                    else if (c == '=' && ++attributes > MaxAttributes)
                        return $"An element has more than {MaxAttributes} attributes.";
                }
            }
        }
        return null;
    }

    private static int Skip(string xml, int from, string terminator)
    {
        var end = xml.IndexOf(terminator, from, StringComparison.Ordinal);
        return end < 0 ? xml.Length : end + terminator.Length;
    }
}

/// <summary>One document's reading under <see cref="ParseLimits"/>: check each node as it is read.</summary>
public sealed class ParseBudget(ParseLimits limits)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public ParseLimits Limits => limits;

    /// <summary>Null while the node is within the limits; otherwise what exceeds them, for the operator.</summary>
    public string? Problem(XmlReader reader)
    {
        if (reader.Depth > limits.MaxDepth) return $"The document nests elements more than {limits.MaxDepth} deep.";
        if (reader.NodeType == XmlNodeType.Element && reader.AttributeCount > limits.MaxAttributes)
            return $"An element <{reader.Name}> has more than {limits.MaxAttributes} attributes.";
        return OverTime();
    }

    /// <summary>Null within the time budget; otherwise how long it was.</summary>
    public string? OverTime() => Stopwatch.GetElapsedTime(_started) > limits.Budget
        ? $"Reading the document took more than {limits.Budget.TotalSeconds:0.#} s: it is too large or too intricate."
        : null;
}
