using System.Diagnostics;

namespace Aggregator.Core.Ingestion;

/// <summary>
/// Who holds a feed's lease: machine, process id and the process's start time, then the lease's own id. A process
/// starting on the same machine can then tell a lease of a process that is gone (killed, crashed; its id unused or
/// reused by another process) from a live one, and take it over at once instead of waiting for it to run out.
/// </summary>
public static class LeaseOwner
{
    private static readonly string ThisProcess = $"{Environment.MachineName}/{Environment.ProcessId}/{StartedAt(Process.GetCurrentProcess())}";

    public static string New() => $"{ThisProcess}/{Guid.NewGuid():N}";

    /// <summary>True only when the owner was a process of this machine that is no longer running; unknown owners are live.</summary>
    public static bool IsGone(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length != 4 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid) || !long.TryParse(parts[2], out var started))
            return false;
        if ($"{parts[0]}/{parts[1]}/{parts[2]}" == ThisProcess) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            // The same id with another start time is another process that took the number.
            return Math.Abs(StartedAt(process) - started) > 1;
        }
        catch (ArgumentException)
        {
            return true; // no process has that id
        }
        catch (InvalidOperationException)
        {
            return true; // it exited meanwhile
        }
    }

    /// <summary>Whole seconds since the Unix epoch (start times read from another process are no finer).</summary>
    private static long StartedAt(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds();
}
