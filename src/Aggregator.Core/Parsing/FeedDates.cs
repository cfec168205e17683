using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Lenient reading of the dates feeds carry, as feedparser reads them: W3DTF/ISO 8601 (with the truncated two-digit
/// forms), RFC 822 with every named and military zone, asctime, Twitter's and Perforce's orders, and the Greek,
/// Hungarian and Korean forms some feeds send. Strict about the parts: a date that is not valid (25 o'clock, day 99,
/// an unknown word) is no date, never a guess.
/// </summary>
public static partial class FeedDates
{
    /// <summary>Zone names in minutes east of UTC. Military letters as RFC 822 writes them (A = -1 … Z = UT).</summary>
    private static readonly Dictionary<string, int> Zones = BuildZones();

    private static readonly Dictionary<string, int> Months = BuildMonths();

    private static readonly HashSet<string> Weekdays = new(StringComparer.OrdinalIgnoreCase)
    {
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "κυρ", "δευ", "τρι", "τετ", "πεμ", "παρ", "σαβ",                 // Greek
        "mo", "di", "mi", "do", "fr", "sa", "so",                          // German
        "lun", "mer", "jeu", "ven", "sam", "dim",                          // French (mardi's "mar" is March)
    };

    private static readonly TimeSpan Korea = TimeSpan.FromHours(9);

    /// <summary>The instant in UTC, or null when the text is not a valid date.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = WhiteSpace().Replace(text.Trim(), " ");
        try
        {
            return Iso8601(value) ?? Korean(value) ?? Words(value);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // a valid-looking date beyond what a DateTimeOffset holds (year 10000 in UTC)
        }
    }

    // ---------------------------------------------------------------- ISO 8601 / W3DTF

    private static DateTimeOffset? Iso8601(string value)
    {
        // Hungarian feeds write the month's name: 2004-július-13T9:15-05:00.
        var named = NamedMonthIso().Match(value);
        if (named.Success && Months.TryGetValue(named.Groups["month"].Value.ToLowerInvariant(), out var namedMonth))
            value = $"{named.Groups["year"].Value}-{namedMonth:00}-{named.Groups["rest"].Value}";

        var match = Iso().Match(value);
        if (!match.Success) return null;
        int year, month = 1, day = 1;
        if (match.Groups["y4"].Success)
        {
            year = Int(match.Groups["y4"]);
            if (match.Groups["ord"].Success) return Ordinal(year, Int(match.Groups["ord"]), match);
            if (match.Groups["m"].Success) month = Int(match.Groups["m"]);
            if (match.Groups["d"].Success) day = Int(match.Groups["d"]);
        }
        else
        {
            year = TwoDigitYear(Int(match.Groups["y2"]));
            if (match.Groups["ord2"].Success) return Ordinal(year, Int(match.Groups["ord2"]), match);
            month = Int(match.Groups["m2"]);
            if (match.Groups["d2"].Success) day = Int(match.Groups["d2"]);
        }
        return Build(year, month, day, match, IsoOffset(match));
    }

    private static DateTimeOffset? Ordinal(int year, int dayOfYear, Match match)
    {
        if (dayOfYear < 1 || dayOfYear > (DateTime.IsLeapYear(year) ? 366 : 365)) return null;
        var date = new DateTime(year, 1, 1).AddDays(dayOfYear - 1);
        return Build(year, date.Month, date.Day, match, IsoOffset(match));
    }

    private static TimeSpan? IsoOffset(Match match)
    {
        if (match.Groups["zname"].Success) return ZoneOffset(match.Groups["zname"].Value);
        var zone = match.Groups["zone"];
        if (!zone.Success || zone.Value == "Z") return TimeSpan.Zero;
        return NumericOffset(zone.Value);
    }

    /// <summary>A date with the time groups of <paramref name="match"/> (hh, mi, ss, frac), or null when a part is out of range.</summary>
    private static DateTimeOffset? Build(int year, int month, int day, Match match, TimeSpan? offset)
    {
        if (offset is null) return null;
        int hour = 0, minute = 0, second = 0;
        if (match.Groups["hh"].Success)
        {
            hour = Int(match.Groups["hh"]);
            minute = Int(match.Groups["mi"]);
            if (match.Groups["ss"].Success) second = Int(match.Groups["ss"]);
            if (match.Groups["pm"].Success)
            {
                (hour, var ok) = TwelveHour(hour, match.Groups["pm"].Value);
                if (!ok) return null;
            }
        }
        var fraction = match.Groups["frac"].Success ? double.Parse("0." + match.Groups["frac"].Value, CultureInfo.InvariantCulture) : 0;
        return Build(year, month, day, hour, minute, second, fraction, offset.Value);
    }

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, double fraction, TimeSpan offset)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60 || offset.Duration() > TimeSpan.FromHours(14))
            return null;
        // A leap second (:60) is the instant after :59.
        var local = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset)
            .AddSeconds(second == 60 ? 1 : 0).AddTicks((long)(fraction * TimeSpan.TicksPerSecond));
        return local.ToUniversalTime();
    }

    // ---------------------------------------------------------------- Korean blog engines

    private static DateTimeOffset? Korean(string value)
    {
        var nate = Nate().Match(value);
        if (nate.Success)
        {
            var (hour, ok) = TwelveHour(Int(nate.Groups["hh"]), nate.Groups["pm"].Value == "오후" ? "pm" : "am");
            return ok ? Build(Int(nate.Groups["y"]), Int(nate.Groups["m"]), Int(nate.Groups["d"]), hour, Int(nate.Groups["mi"]), Int(nate.Groups["ss"]), 0, Korea) : null;
        }
        var onBlog = OnBlog().Match(value);
        return onBlog.Success
            ? Build(Int(onBlog.Groups["y"]), Int(onBlog.Groups["m"]), Int(onBlog.Groups["d"]), Int(onBlog.Groups["hh"]), Int(onBlog.Groups["mi"]), Int(onBlog.Groups["ss"]), 0, Korea)
            : null;
    }

    // ---------------------------------------------------------------- RFC 822 and other word orders

    /// <summary>
    /// Dates written as words in any of the orders feeds use: "Thu, 01 Jan 2004 19:48:21 GMT", "Sun Jan  4 16:29:06
    /// 2004" (asctime), "Sun Jul 15 01:16:00 +0000 2012" (Twitter), "Thu Aug 30 2012 17:26:16 +0200", "Fri, 2006/09/15
    /// 08:19:53 EDT" (Perforce). Every word must be a weekday, month, number, time, zone or AM/PM.
    /// </summary>
    private static DateTimeOffset? Words(string value)
    {
        value = Comment().Replace(value, " ").Replace(',', ' ');
        int? year = null, month = null, hour = null, minute = null, second = null;
        double fraction = 0;
        string? meridiem = null;
        TimeSpan? offset = null;
        var numbers = new List<int>();
        foreach (var raw in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.TrimEnd('.');
            if (Weekdays.Contains(token)) continue;
            if (Months.TryGetValue(token.ToLowerInvariant(), out var m) && month is null) { month = m; continue; }
            if (DayMonthYear().Match(token) is { Success: true } dmy && Months.TryGetValue(dmy.Groups["m"].Value.ToLowerInvariant(), out var dm) && month is null)
            {
                month = dm;
                numbers.Add(Int(dmy.Groups["d"]));
                if (dmy.Groups["y"].Value.Length == 4) year = Int(dmy.Groups["y"]);
                else numbers.Add(Int(dmy.Groups["y"]));
                continue;
            }
            if (token.Length <= 2 && token.All(char.IsAsciiDigit)) { numbers.Add(int.Parse(token, CultureInfo.InvariantCulture)); continue; }
            if (token.Length == 4 && token.All(char.IsAsciiDigit) && year is null) { year = int.Parse(token, CultureInfo.InvariantCulture); continue; }
            if (SlashedDate().Match(token) is { Success: true } slashed && year is null && month is null)
            {
                (year, month) = (Int(slashed.Groups["y"]), Int(slashed.Groups["m"]));
                numbers.Insert(0, Int(slashed.Groups["d"]));
                continue;
            }
            if (Time().Match(token) is { Success: true } time && hour is null)
            {
                (hour, minute) = (Int(time.Groups["hh"]), Int(time.Groups["mi"]));
                second = time.Groups["ss"].Success ? Int(time.Groups["ss"]) : 0;
                if (time.Groups["frac"].Success) fraction = double.Parse("0." + time.Groups["frac"].Value, CultureInfo.InvariantCulture);
                continue;
            }
            if (token.Equals("am", StringComparison.OrdinalIgnoreCase) || token.Equals("pm", StringComparison.OrdinalIgnoreCase)) { meridiem = token; continue; }
            if (offset is null && ZoneOffset(token) is { } zone) { offset = zone; continue; }
            return null; // a word no date has
        }
        if (month is null || numbers.Count == 0) return null;
        var day = numbers[0];
        if (year is null)
        {
            if (numbers.Count != 2) return null;
            year = TwoDigitYear(numbers[1]);
        }
        else if (numbers.Count != 1) return null;
        var h = hour ?? 0;
        if (meridiem is not null)
        {
            (h, var ok) = TwelveHour(h, meridiem);
            if (!ok) return null;
        }
        return Build(year.Value, month.Value, day, h, minute ?? 0, second ?? 0, fraction, offset ?? TimeSpan.Zero);
    }

    /// <summary>A zone name, "+0100", "-05:00", "GMT+1", "UTC-01:01" or an IANA name such as "Europe/Berlin".</summary>
    private static TimeSpan? ZoneOffset(string token)
    {
        if (Zones.TryGetValue(token, out var minutes)) return TimeSpan.FromMinutes(minutes);
        if (token.Length > 1 && token[0] is '+' or '-') return NumericOffset(token);
        var prefixed = PrefixedOffset().Match(token);
        if (prefixed.Success) return NumericOffset(prefixed.Groups["offset"].Value);
        if (token.Contains('/') && TimeZoneInfo.TryFindSystemTimeZoneById(token, out var zone)) return zone.BaseUtcOffset;
        return null;
    }

    /// <summary>"+hh", "+hhmm", "+hh:mm" (and one-digit hours after GMT), or null when malformed or beyond ±14 h.</summary>
    private static TimeSpan? NumericOffset(string text)
    {
        var match = Offset().Match(text);
        if (!match.Success) return null;
        var hours = Int(match.Groups["h"]);
        var minutes = match.Groups["m"].Success ? Int(match.Groups["m"]) : 0;
        if (hours > 14 || minutes > 59) return null;
        var offset = new TimeSpan(hours, minutes, 0);
        return match.Groups["sign"].Value == "-" ? -offset : offset;
    }

    private static (int Hour, bool Ok) TwelveHour(int hour, string meridiem)
    {
        if (hour is < 1 or > 12) return (hour, false);
        var pm = meridiem.Equals("pm", StringComparison.OrdinalIgnoreCase);
        return (hour % 12 + (pm ? 12 : 0), true);
    }

    /// <summary>As feedparser (after RFC 2822): 90–99 are the 1990s, the rest this century.</summary>
    private static int TwoDigitYear(int year) => year + (year < 90 ? 2000 : 1900);

    private static int Int(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    private static Dictionary<string, int> BuildZones()
    {
        var zones = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["Etc/GMT"] = 0, ["Etc/UTC"] = 0, ["WET"] = 0,
            // North America, and the generic names (ET, CT …) read as standard time, as feedparser does.
            ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360, ["CDT"] = -300, ["MST"] = -420, ["MDT"] = -360, ["PST"] = -480, ["PDT"] = -420,
            ["AST"] = -240, ["ADT"] = -180, ["AKST"] = -540, ["AKDT"] = -480, ["HST"] = -600, ["NST"] = -210, ["NDT"] = -150,
            ["ET"] = -300, ["CT"] = -360, ["MT"] = -420, ["PT"] = -480, ["AT"] = -240,
            ["BRT"] = -180, ["ART"] = -180,
            // Europe, Africa, Asia, Oceania.
            ["WEST"] = 60, ["BST"] = 60, ["CET"] = 60, ["MET"] = 60, ["WAT"] = 60, ["CEST"] = 120, ["MEST"] = 120, ["EET"] = 120,
            ["SAST"] = 120, ["CAT"] = 120, ["EEST"] = 180, ["MSK"] = 180, ["EAT"] = 180, ["MSD"] = 240, ["PKT"] = 300, ["IST"] = 330,
            ["ICT"] = 420, ["WIB"] = 420, ["HKT"] = 480, ["SGT"] = 480, ["PHT"] = 480, ["AWST"] = 480, ["JST"] = 540, ["KST"] = 540,
            ["ACST"] = 570, ["AEST"] = 600, ["ACDT"] = 630, ["AEDT"] = 660, ["NZST"] = 720, ["NZDT"] = 780,
        };
        // RFC 822's military zones: A–I are -1 to -9 hours, K–M -10 to -12, N–Y +1 to +12 (J is not used).
        for (var letter = 'A'; letter <= 'Y'; letter++)
        {
            if (letter == 'J') continue;
            var hours = letter < 'J' ? -(letter - 'A' + 1) : letter <= 'M' ? -(letter - 'A') : letter - 'N' + 1;
            zones[letter.ToString()] = hours * 60;
        }
        return zones;
    }

    private static Dictionary<string, int> BuildMonths()
    {
        var months = new Dictionary<string, int>();
        void Add(int month, params string[] names)
        {
            foreach (var name in names) months.TryAdd(name, month);
        }
        Add(1, "jan", "january", "ιαν", "janv", "janvier", "ene", "enero", "januar", "január", "gen");
        Add(2, "feb", "february", "φεβ", "févr", "fevr", "février", "febrero", "februar", "február", "fev");
        Add(3, "mar", "march", "μάρ", "μαρ", "mars", "marzo", "märz", "mär", "mrz", "március");
        Add(4, "apr", "april", "απρ", "avr", "avril", "abr", "abril", "április");
        Add(5, "may", "μάι", "μαι", "μαϊ", "mai", "mayo", "május", "mag");
        Add(6, "jun", "june", "ιούν", "ιουν", "juin", "junio", "juni", "június", "giu");
        Add(7, "jul", "july", "ιούλ", "ιουλ", "juil", "juillet", "julio", "juli", "július", "lug");
        Add(8, "aug", "august", "αύγ", "αυγ", "août", "aout", "ago", "agosto", "augusztus");
        Add(9, "sep", "sept", "september", "σεπ", "septembre", "septiembre", "szeptember", "set");
        Add(10, "oct", "october", "οκτ", "octobre", "octubre", "okt", "oktober", "október", "ott");
        Add(11, "nov", "november", "νοέ", "νοε", "novembre", "noviembre");
        Add(12, "dec", "december", "δεκ", "déc", "décembre", "dic", "diciembre", "dez", "dezember");
        return months;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Comment();

    /// <summary>
    /// W3DTF and ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD (and Google's YYYY-0MM-DD), YYYYMMDD, YYYY-DDD; the two-digit-year
    /// forms YY-MM-DD, YYMMDD, -YYMM, -YY-MM, YYDDD; then an optional time (T or space) with an optional zone.
    /// </summary>
    [GeneratedRegex("""
        ^(?:
            (?<y4>\d{4})(?:-(?<m>\d{2})(?:-(?<d>\d{2}))?|-0(?<m>\d{2})-(?<d>\d{2})|-(?<ord>\d{3})|(?<m>\d{2})(?<d>\d{2})|(?<ord>\d{3}))?
          | (?<y2>\d{2})-?(?<m2>\d{2})-?(?<d2>\d{2})
          | -(?<y2>\d{2})-?(?<m2>\d{2})
          | (?<y2>\d{2})-?(?<ord2>\d{3})
        )
        (?:(?:T|\x20)(?<hh>\d{1,2}):?(?<mi>\d{2})(?::?(?<ss>\d{2})(?:[.,](?<frac>\d+))?)?(?:\x20?(?<pm>[AaPp][Mm]))?
           (?:\x20?(?<zone>Z|[+-]\d{2}(?::?\d{2})?)|\x20(?<zname>[A-Za-z]{1,5}))?)?$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture)]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?<year>\d{4})-(?<month>\p{L}+)-(?<rest>\d{1,2}(?:T.*)?)$")]
    private static partial Regex NamedMonthIso();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2}) (?<pm>오전|오후) (?<hh>\d{1,2}):(?<mi>\d{2}):(?<ss>\d{2})$")]
    private static partial Regex Nate();

    [GeneratedRegex(@"^(?<y>\d{4})년 ?(?<m>\d{1,2})월 ?(?<d>\d{1,2})일 (?<hh>\d{1,2}):(?<mi>\d{2}):(?<ss>\d{2})$")]
    private static partial Regex OnBlog();

    [GeneratedRegex(@"^(?<d>\d{1,2})-(?<m>\p{L}+)-(?<y>\d{2}|\d{4})$")]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"^(?<y>\d{4})/(?<m>\d{1,2})/(?<d>\d{1,2})$")]
    private static partial Regex SlashedDate();

    [GeneratedRegex(@"^(?<hh>\d{1,2}):(?<mi>\d{1,2})(?::(?<ss>\d{1,2})(?:[.,](?<frac>\d+))?)?$")]
    private static partial Regex Time();

    [GeneratedRegex(@"^(?:GMT|UTC|UT)(?<offset>[+-]\d{1,2}(?::?\d{2})?)$", RegexOptions.IgnoreCase)]
    private static partial Regex PrefixedOffset();

    [GeneratedRegex(@"^(?<sign>[+-])(?<h>\d{1,2})(?::?(?<m>\d{2}))?$")]
    private static partial Regex Offset();
}
