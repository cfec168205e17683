using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Aggregator.Api.Jobs;

/// <summary>
/// Hangfire's log provider for every host of the process. Hangfire logs through one process-wide provider, and its
/// classes (and its storages') keep the loggers they get in static fields for the life of the process. AddHangfire
/// hands it the configuring host's own logger factory, so a later host in the same process (tests, or a host rebuilt
/// in place) inherits a factory that is disposed with its host, and a Hangfire type first used after that fails for
/// good (TypeInitializationException over ObjectDisposedException). The loggers of this provider find a live host's
/// factory at each call instead: the one attached last, until its host's container lets go of it.
/// </summary>
public sealed class HangfireLogging : ILogProvider
{
    public static HangfireLogging Instance { get; } = new();

    private readonly Lock _gate = new();
    private readonly List<ILoggerFactory> _hosts = [];

    private HangfireLogging() { }

    /// <summary>Hangfire logs to <paramref name="factory"/> until the returned attachment is disposed.</summary>
    public Attachment Attach(ILoggerFactory factory)
    {
        lock (_gate) _hosts.Add(factory);
        return new Attachment(this, factory);
    }

    public ILog GetLogger(string name) => new HostLog(this, name);

    private ILoggerFactory? Current
    {
        get { lock (_gate) return _hosts.Count == 0 ? null : _hosts[^1]; }
    }

    private void Detach(ILoggerFactory factory)
    {
        lock (_gate) _hosts.Remove(factory);
    }

    /// <summary>A host's hold on Hangfire's logging: a singleton of its container, so it goes before the logger factory it holds.</summary>
    public sealed class Attachment(HangfireLogging owner, ILoggerFactory factory) : IDisposable
    {
        public void Dispose() => owner.Detach(factory);
    }

    private sealed class HostLog(HangfireLogging owner, string name) : ILog
    {
        private (ILoggerFactory Factory, ILog Log)? _target;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (owner.Current is not { } factory) return false;
            var target = _target;
            try
            {
                if (target is null || target.Value.Factory != factory)
                    _target = target = (factory, new AspNetCoreLogProvider(factory).GetLogger(name));
                return target.Value.Log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false; // its host was disposed while this call was on its way
            }
        }
    }
}
