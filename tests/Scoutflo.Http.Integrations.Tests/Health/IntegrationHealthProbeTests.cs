using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scoutflo.Http.Integrations.Tests.Health;

/// <summary>The public probe helper storage adapters build their store and cache checks on.</summary>
public sealed class IntegrationHealthProbeTests
{
    private static HealthCheckContext Context(HealthStatus failureStatus) => new()
    {
        Registration = new HealthCheckRegistration("probe", _ => throw new InvalidOperationException("not used"), failureStatus, tags: null),
    };

    [Fact]
    public async Task CheckStoreAsync_ProbeThrows_ReportsFailureStatusNamingTheTypeNotTheMessage()
    {
        var result = await IntegrationHealthProbe.CheckStoreAsync(
            Context(HealthStatus.Degraded), () => "store", static s => $"{s}@db-host", "not built",
            static (_, _) => throw new InvalidOperationException("mongodb://user:hunter2@db-host"), CancellationToken.None);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("The integration store (store@db-host) cannot be read: InvalidOperationException.", result.Description);
        Assert.DoesNotContain("hunter2", result.Description, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(result.Exception);
    }

    [Fact]
    public async Task CheckTokenCacheAsync_TargetCannotBeResolved_IsUnhealthyUnderTheUnresolvedName()
    {
        var result = await IntegrationHealthProbe.CheckTokenCacheAsync<string>(
            Context(HealthStatus.Unhealthy), static () => throw new InvalidOperationException("no multiplexer"), static s => s, "Redis",
            static (_, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("The token cache (Redis) cannot be reached (InvalidOperationException)", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckTokenCacheAsync_ProbeAnswers_IsHealthyNamingTheTarget()
    {
        var probed = 0;
        var result = await IntegrationHealthProbe.CheckTokenCacheAsync(
            Context(HealthStatus.Unhealthy), () => "cache", static s => s + ":6379", "Redis",
            (_, _) => { probed++; return Task.CompletedTask; }, CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("The token cache (cache:6379) answers.", result.Description);
        Assert.Equal(1, probed);
    }

    [Fact]
    public async Task CheckStoreAsync_CallerCancels_CancellationEscapes()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => IntegrationHealthProbe.CheckStoreAsync(
            Context(HealthStatus.Unhealthy), () => "store", static s => s, "not built",
            static (_, ct) => Task.FromCanceled(ct), cancellation.Token));
    }
}
