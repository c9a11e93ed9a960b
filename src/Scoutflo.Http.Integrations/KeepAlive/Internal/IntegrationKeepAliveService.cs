using Microsoft.Extensions.Hosting;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.KeepAlive.Internal;

/// <summary>Runs a keep-alive pass every <see cref="IntegrationKeepAliveOptions.Interval"/>.</summary>
internal sealed class IntegrationKeepAliveService(
    IntegrationKeepAlive keepAlive,
    IOptionsMonitor<IntegrationKeepAliveOptions> options,
    TimeProvider timeProvider,
    ILogger<IntegrationKeepAliveService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = options.CurrentValue.Interval;
            try
            {
                await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
                await keepAlive.RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass (e.g. the store is down) must not stop the next ones.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.KeepAlivePassFailed(logger, interval.TotalSeconds, ex);
            }
        }
    }
}
