namespace Aggregator.Tests.Support;

/// <summary>The system clock, until a test stops it or moves it on (to stage what happens within one millisecond, or later).</summary>
public sealed class SteerableClock : TimeProvider
{
    private DateTimeOffset? _stopped;
    private TimeSpan _ahead;

    public override DateTimeOffset GetUtcNow() => _stopped ?? System.GetUtcNow() + _ahead;

    public void Stop() => _stopped = GetUtcNow();

    public void Advance(TimeSpan by)
    {
        if (_stopped is { } stopped) _stopped = stopped + by;
        else _ahead += by;
    }
}
