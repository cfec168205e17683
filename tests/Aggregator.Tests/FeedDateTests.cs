using Aggregator.Core.Parsing;

namespace Aggregator.Tests;

/// <summary>Every date format feeds are known to send, each with the UTC instant it means; invalid dates are no date.</summary>
public sealed class FeedDateTests
{
    public static TheoryData<string, string?> Dates => new()
    {
        // W3DTF / RFC 3339
        { "2025-03-09T17:45:12Z", "2025-03-09T17:45:12Z" },
        { "2025-03-09T17:45:12-07:00", "2025-03-10T00:45:12Z" },
        { "2025-03-09T17:45:12+05:30", "2025-03-09T12:15:12Z" },
        { "2025-03-09T17:45:12.375+10:00", "2025-03-09T07:45:12.375Z" },
        { "2025-03-09T17:45:12.0001234Z", "2025-03-09T17:45:12.0001234Z" },
        { "2025-03-09T17:45:12+0100", "2025-03-09T16:45:12Z" },
        { "2025-03-09", "2025-03-09T00:00:00Z" },
        { "2025-03", "2025-03-01T00:00:00Z" },
        { "2025", "2025-01-01T00:00:00Z" },
        { "2024-02-28T20:30:00-06:00", "2024-02-29T02:30:00Z" }, // into a leap day
        { "2025-02-28T20:30:00-06:00", "2025-03-01T02:30:00Z" }, // past February in a common year
        { "2000-02-28T23:00:00-02:00", "2000-02-29T01:00:00Z" }, // 2000 was a leap year
        { "2025-011-30T08:00:00+00:00", "2025-11-30T08:00:00Z" }, // a month written with three digits
        // SQL-style, with and without a zone
        { "2025-06-01 09:10:11 -00:45", "2025-06-01T09:55:11Z" },
        { "2025-06-01 09:10:11", "2025-06-01T09:10:11Z" },
        { "2025-06-01 09:10:11.0", "2025-06-01T09:10:11Z" },
        { "2025-06-01 09:10:11 EST", "2025-06-01T14:10:11Z" },
        // ISO 8601's two-digit-year forms (the 21st century)
        { "07-10-15", "2007-10-15T00:00:00Z" },
        { "071015", "2007-10-15T00:00:00Z" },
        { "-0710", "2007-10-01T00:00:00Z" },
        { "-07-10", "2007-10-01T00:00:00Z" },
        { "07288", "2007-10-15T00:00:00Z" }, // ordinal day 288
        { "2007-288", "2007-10-15T00:00:00Z" },
        { "20071015", "2007-10-15T00:00:00Z" },
        // RFC 822 / 2822
        { "Sat, 14 Jun 2025 06:07:08 GMT", "2025-06-14T06:07:08Z" },
        { "Sat, 14 Jun 25 06:07:08 GMT", "2025-06-14T06:07:08Z" },
        { "Sat, 14 Jun 97 06:07:08 GMT", "1997-06-14T06:07:08Z" },
        { "Sat,  7 Jun 2025 06:07:08 GMT", "2025-06-07T06:07:08Z" },
        { "Sat, 14 Jun 2025 06:07 GMT", "2025-06-14T06:07:00Z" },
        { "Sat, 14 Jun 2025", "2025-06-14T00:00:00Z" },
        { "Sat, 14 Jun, 2025 06:07:08 UTC", "2025-06-14T06:07:08Z" },
        { "Sat, 14 June 2025 06:07:08 +0200", "2025-06-14T04:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 -03:30", "2025-06-14T09:37:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 GMT+02:15", "2025-06-14T03:52:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 UT", "2025-06-14T06:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 Etc/GMT", "2025-06-14T06:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 +0000 (UTC)", "2025-06-14T06:07:08Z" },
        { "14 Jun 2025 06:07:08 +0000", "2025-06-14T06:07:08Z" },
        { "June 14, 2025", "2025-06-14T00:00:00Z" },
        { "14-Jun-2025 06:07:08 GMT", "2025-06-14T06:07:08Z" },
        { "Sat, 14 Jun 2025 6:07:08 PM EST", "2025-06-14T23:07:08Z" },
        { "Thu, 01 Jan 0100 00:00:01 +0100", "0099-12-31T23:00:01Z" },
        // North American zones, the generic ones read as standard time
        { "Sat, 14 Jun 2025 06:07:08 EST", "2025-06-14T11:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 EDT", "2025-06-14T10:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 CST", "2025-06-14T12:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 CDT", "2025-06-14T11:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 MST", "2025-06-14T13:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 MDT", "2025-06-14T12:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 PST", "2025-06-14T14:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 PDT", "2025-06-14T13:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 AT", "2025-06-14T10:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 ET", "2025-06-14T11:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 CT", "2025-06-14T12:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 MT", "2025-06-14T13:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 PT", "2025-06-14T14:07:08Z" },
        // European and other named zones
        { "Sat, 14 Jun 2025 06:07:08 MET", "2025-06-14T05:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 MEST", "2025-06-14T04:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 CEST", "2025-06-14T04:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 BST", "2025-06-14T05:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 MSK", "2025-06-14T03:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 JST", "2025-06-13T21:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 AEST", "2025-06-13T20:07:08Z" },
        // RFC 822's military zones, as RFC 822 defines them (A = -1 h, N = +1 h)
        { "Sat, 14 Jun 2025 06:07:08 Z", "2025-06-14T06:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 A", "2025-06-14T07:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 M", "2025-06-14T18:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 N", "2025-06-14T05:07:08Z" },
        { "Sat, 14 Jun 2025 06:07:08 Y", "2025-06-13T18:07:08Z" },
        // Other word orders
        { "Sat Jun  7 06:07:08 2025", "2025-06-07T06:07:08Z" },              // asctime
        { "Sat Jun 14 06:07:08 +0000 2025", "2025-06-14T06:07:08Z" },        // Twitter
        { "Sat Jun 14 2025 06:07:08 +0200", "2025-06-14T04:07:08Z" },        // JavaScript's Date.toString
        { "Sat, 2025/06/14 06:07:08 EDT", "2025-06-14T10:07:08Z" },          // Perforce
        // Other languages
        { "Σαβ, 14 Ιούν 2025 06:07:08 EST", "2025-06-14T11:07:08Z" },        // Greek
        { "2025-június-14T6:07-05:00", "2025-06-14T11:07:00Z" },             // Hungarian
        { "2025-06-14 오후 06:07:08", "2025-06-14T09:07:08Z" },                // Korean (Nate), KST
        { "2025-06-14 오전 06:07:08", "2025-06-13T21:07:08Z" },
        { "2025년 06월 14일  06:07:08", "2025-06-13T21:07:08Z" },             // Korean (OnBlog), KST
        { "Sa, 14 Mär 2025 06:07:08 +0100", "2025-03-14T05:07:08Z" },        // German
        // Not dates: never one invented from them
        { "", null },
        { "   ", null },
        { "yesterday", null },
        { "Sat, 14 Jun 2025 1:2:3:4 GMT", null },          // a time of four parts
        { "Sat, 14 xyz 2025 06:07:08 GMT", null },         // no month
        { "Sat, Jun q 2025 06:07:08 GMT", null },          // no day
        { "Sat, 14 Jun qq 06:07:08 GMT", null },           // no year
        { "Sat, 14 Jun 2025 06:07:08 +qq:00", null },      // zone hours not a number
        { "Sat, 14 Jun 2025 06:07:08 +00:qq", null },      // zone minutes not a number
        { "Sat, 41 Jun 2025 06:07:08 GMT", null },         // day out of range
        { "Sat, 31 Jun 2025 06:07:08 GMT", null },         // June has 30 days
        { "Fri, 31 Dec 9999 23:59:59 -9999", null },       // zone out of range
        { "9999-12-31T23:59:59-12:00", null },             // beyond year 9999 in UTC
        { "9999-12-31T23:59:59-99:99", null },
        { "2025-06-14T24:07:08Z", null },                  // 24 o'clock
        { "2025-06-14T06:60:08Z", null },                  // minute 60
        { "2025-06-14T06:07:61Z", null },                  // second 61
        { "2025-13-14", null },                            // month 13
        { "2026-13-45T99:00:00Z", null },
        { "123", null },                                   // too short for a year
        { "2025-06-14-01", null },                         // a part too many
        { "2025-06-14T06:07:08-05:00Tail", null },         // text after the zone
        { "2025-xx-14", null },
        { "2025-06-14T06:xx:08Z", null },
        { "2025-06-14T06:07:08+00:xx", null },
        { "03-12-31 tomorrow", null },
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public void Reads_the_instant_a_date_means_or_none(string text, string? expected)
    {
        var parsed = FeedDates.Parse(text);

        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed);
        if (parsed is { } instant) Assert.Equal(TimeSpan.Zero, instant.Offset);
    }
}
