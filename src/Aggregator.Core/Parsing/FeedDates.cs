using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>Lenient parsing of the dates feeds carry: RFC 822 with zone names, ISO 8601, and the usual damage.</summary>
public static partial class FeedDates
{
    private static readonly Dictionary<string, string> ZoneOffsets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = "+00:00", ["UT"] = "+00:00", ["UTC"] = "+00:00", ["Z"] = "+00:00",
        ["EST"] = "-05:00", ["EDT"] = "-04:00", ["CST"] = "-06:00", ["CDT"] = "-05:00",
        ["MST"] = "-07:00", ["MDT"] = "-06:00", ["PST"] = "-08:00", ["PDT"] = "-07:00",
        ["BST"] = "+01:00", ["CET"] = "+01:00", ["CEST"] = "+02:00", ["MSK"] = "+03:00", ["IST"] = "+05:30",
    };

    private static readonly string[] Formats =
    [
        "ddd, d MMM yyyy H:m:s zzz", "d MMM yyyy H:m:s zzz", "ddd, d MMM yyyy H:m zzz", "d MMM yyyy H:m zzz",
        "ddd, d MMMM yyyy H:m:s zzz", "ddd, d MMM yy H:m:s zzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
        "ddd, d MMM yyyy H:m:s", "d MMM yyyy H:m:s", "ddd, d MMM yyyy",
    ];

    /// <summary>The instant in UTC, or null when the text is not a date.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var normalized = WhiteSpace().Replace(text.Trim(), " ");
        normalized = TrailingZone().Replace(normalized, m =>
        {
            var zone = m.Groups[1].Value;
            if (ZoneOffsets.TryGetValue(zone, out var offset)) return " " + offset;
            if (zone.Length == 5 && (zone[0] == '+' || zone[0] == '-')) return " " + zone[..3] + ":" + zone[3..];
            return m.Value;
        });
        var styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
        if (DateTimeOffset.TryParseExact(normalized, Formats, CultureInfo.InvariantCulture, styles, out var exact))
            return exact.ToUniversalTime();
        if (DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, styles, out var loose))
            return loose.ToUniversalTime();
        return null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    /// <summary>A zone at the end: a name (GMT, EST) or a compact offset (+0300), possibly glued to the time by ISO 'Z'.</summary>
    [GeneratedRegex(@"\s*\b([A-Za-z]{1,4}|[+-]\d{4})$")]
    private static partial Regex TrailingZone();
}
