using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Support;

/// <summary>A logger provider that keeps every entry, of every level, to be looked at by the test.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<Entry> Entries => _entries;
    public IEnumerable<string> Messages => _entries.Select(e => e.Message);

    /// <summary>Done when the container that made this provider has disposed it (with its logger factory).</summary>
    public Task Disposed => _disposed.Task;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() => _disposed.TrySetResult();

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
