using Microsoft.Extensions.Time.Testing;

namespace Scoutflo.Http.Integrations.TestSupport;

/// <summary>
/// The one deterministic wait of the test suites: a <see cref="FakeTimeProvider"/> that tells
/// the test when the code under test starts waiting on it. A test that must move the clock
/// while another task runs waits for that task's timer to exist (a signal raised by the code
/// under test), then advances once: no spinning clock, no real-time polling, so no timeout
/// fires while real I/O is in flight.
/// </summary>
internal sealed class TestClock : FakeTimeProvider
{
    /// <summary>The start of every test clock unless a test picks another.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private readonly List<(Func<TimeSpan, bool> Match, int Count, TaskCompletionSource Done)> _waiters = [];

    public TestClock()
        : this(DefaultStart)
    {
    }

    public TestClock(DateTimeOffset start)
        : base(start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        List<TaskCompletionSource>? reached = null;
        lock (_gate)
        {
            _dueTimes.Add(dueTime);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (CountLocked(_waiters[i].Match) >= _waiters[i].Count)
                {
                    (reached ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        // Completed outside the lock and asynchronously: the waiting test must not run on this thread.
        reached?.ForEach(done => done.TrySetResult());
        return timer;
    }

    /// <summary>
    /// Completes once <paramref name="count"/> timers whose due time matches have been created on
    /// this clock since it was made (counting those already created). Awaited through
    /// <see cref="Signal.WaitAsync(Task, string)"/>.
    /// </summary>
    public Task TimersCreated(int count, Func<TimeSpan, bool>? dueTime = null)
    {
        dueTime ??= static _ => true;
        lock (_gate)
        {
            if (CountLocked(dueTime) >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, count, done));
            return done.Task;
        }
    }

    /// <summary>How many timers have been created on this clock.</summary>
    public int TimersCreatedCount
    {
        get
        {
            lock (_gate)
            {
                return _dueTimes.Count;
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> timers of exactly <paramref name="dueTime"/> exist.</summary>
    public Task TimersCreated(int count, TimeSpan dueTime) => TimersCreated(count, due => due == dueTime);

    private int CountLocked(Func<TimeSpan, bool> match)
    {
        var n = 0;
        foreach (var due in _dueTimes)
        {
            if (match(due))
            {
                n++;
            }
        }

        return n;
    }
}

/// <summary>
/// Awaits a signal raised by the code under test (a TaskCompletionSource, an event, a timer
/// being created). The only real-time bound in the suites is here, and it is a hang guard, not
/// a timing assumption: a correct run never comes near it, a broken one fails instead of
/// hanging the run.
/// </summary>
internal static class Signal
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(1);

    public static async Task WaitAsync(Task signal, string what)
    {
        try
        {
            await signal.WaitAsync(HangGuard);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Never signalled: {what}.");
        }
    }

    public static async Task<T> WaitAsync<T>(Task<T> signal, string what)
    {
        await WaitAsync((Task)signal, what);
        return await signal;
    }
}
