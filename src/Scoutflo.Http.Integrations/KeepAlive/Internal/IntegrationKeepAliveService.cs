using Scoutflo.Http.Integrations.Hosting.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.KeepAlive.Internal;

/// <summary>Runs a keep-alive pass every <see cref="IntegrationKeepAliveOptions.Interval"/>, the first one interval after start.</summary>
internal sealed class IntegrationKeepAliveService(
    IntegrationKeepAlive keepAlive,
    IOptionsMonitor<IntegrationKeepAliveOptions> options,
    TimeProvider timeProvider,
    ILogger<IntegrationKeepAliveService> logger) : PeriodicPassService(timeProvider)
{
    protected override bool RunsAtStart => false;

    protected override TimeSpan Interval => options.CurrentValue.Interval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => keepAlive.RunOnceAsync(cancellationToken);

    protected override void PassFailed(TimeSpan interval, Exception exception) =>
        Log.KeepAlivePassFailed(logger, interval.TotalSeconds, exception);
}
