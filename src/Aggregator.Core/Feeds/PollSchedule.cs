using Aggregator.Core.Model;
using Cronos;

namespace Aggregator.Core.Feeds;

/// <summary>
/// When a feed is polled. Its recurring job fires on a cron derived from the interval; a firing does a poll only if
/// the feed is due, which is how back-off and Retry-After lengthen the rest without touching the schedule.
/// </summary>
public static class PollSchedule
{
    /// <summary>Slack for the job's own start-up delay, so a firing exactly one interval later still counts as due.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(60);

    /// <summary>Every N minutes when N divides an hour (or N hours a day); otherwise every minute, the due check spacing the polls.</summary>
    public static string Cron(int intervalMinutes) => intervalMinutes switch
    {
        < 60 when 60 % intervalMinutes == 0 => intervalMinutes == 1 ? "* * * * *" : $"*/{intervalMinutes} * * * *",
        _ when intervalMinutes % 60 == 0 && 24 * 60 % intervalMinutes == 0 => $"0 */{intervalMinutes / 60} * * *",
        _ => "* * * * *",
    };

    public static bool IsDue(Feed feed, DateTimeOffset now) =>
        feed.Enabled
        && !IsResting(feed, now)
        && (feed.Health.LastAttemptAt is null || feed.Health.LastAttemptAt + TimeSpan.FromMinutes(feed.IntervalMinutes) - Slack <= now);

    /// <summary>Back-off or Retry-After keeps the feed from being polled until later.</summary>
    public static bool IsResting(Feed feed, DateTimeOffset now) => feed.Health.NotBefore > now;

    /// <summary>The next firing at which the feed will be due; null when disabled.</summary>
    public static DateTimeOffset? NextPoll(Feed feed, DateTimeOffset now)
    {
        if (!feed.Enabled) return null;
        var earliest = now;
        if (feed.Health.NotBefore > earliest) earliest = feed.Health.NotBefore.Value;
        if (feed.Health.LastAttemptAt is { } last && last + TimeSpan.FromMinutes(feed.IntervalMinutes) - Slack > earliest)
            earliest = last + TimeSpan.FromMinutes(feed.IntervalMinutes) - Slack;
        return CronExpression.Parse(Cron(feed.IntervalMinutes)).GetNextOccurrence(earliest, TimeZoneInfo.Utc, inclusive: true);
    }
}
