using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Scoutflo.Http.Integrations.Storage.Tests.Scenarios;

/// <summary>
/// A logger provider that turns one log event of the code under test into a signal a test can
/// await: the event id and the formatted message must match.
/// </summary>
internal sealed class EventSignal(int eventId) : ILoggerProvider, ILogger
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waits = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _seen = new();

    /// <summary>Completes when an event whose message contains <paramref name="text"/> was logged (before or after the call).</summary>
    public Task Logged(string text)
    {
        var wait = _waits.GetOrAdd(text, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_seen.Any(m => m.Contains(text, StringComparison.Ordinal)))
        {
            wait.TrySetResult();
        }

        return wait.Task;
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (id.Id != eventId)
        {
            return;
        }

        var message = formatter(state, exception);
        _seen.Enqueue(message);
        foreach (var (text, wait) in _waits)
        {
            if (message.Contains(text, StringComparison.Ordinal))
            {
                wait.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
    }
}
