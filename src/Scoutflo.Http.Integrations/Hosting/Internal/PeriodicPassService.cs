using Microsoft.Extensions.Hosting;

namespace Scoutflo.Http.Integrations.Hosting.Internal;

/// <summary>
/// A background service that runs one pass every interval, on <see cref="TimeProvider"/>'s clock.
/// A failed pass (e.g. the store is down) is logged and the next one still runs; only the host's
/// stop ends the loop. The interval is read before each wait, so a changed option applies to the
/// next wait.
/// </summary>
internal abstract class PeriodicPassService(TimeProvider timeProvider) : BackgroundService
{
    /// <summary>Whether the first pass runs at start rather than one interval after it.</summary>
    protected abstract bool RunsAtStart { get; }

    /// <summary>The time between passes, as configured now.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Runs one pass.</summary>
    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    /// <summary>Logs a failed pass; the next one runs after <paramref name="interval"/>.</summary>
    protected abstract void PassFailed(TimeSpan interval, Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var waitFirst = !RunsAtStart;
        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = Interval;
            try
            {
                if (waitFirst)
                {
                    await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
                }

                waitFirst = true;
                await RunPassAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass must not stop the next ones.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                PassFailed(interval, ex);
            }
        }
    }
}
