namespace Aggregator.Core.Ingestion;

/// <summary>How long a failing feed rests: its interval doubled per consecutive failure, capped, and never less than Retry-After.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int consecutiveFailures, TimeSpan interval, TimeSpan max, TimeSpan? retryAfter = null)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 20);
        var delay = TimeSpan.FromTicks(Math.Min(max.Ticks, interval.Ticks * (1L << exponent)));
        // A server may ask for a longer rest than our cap, but not for more than a day.
        if (retryAfter is { } wait && wait > delay) delay = wait < TimeSpan.FromDays(1) ? wait : TimeSpan.FromDays(1);
        return delay;
    }
}
