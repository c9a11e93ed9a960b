using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// Turns one probe of the library's storage into a <see cref="HealthCheckResult"/>, with the
/// wording the library's own checks use. A storage adapter that brings its own store or cache
/// check (registered under <c>ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName</c>
/// or <c>CacheCheckName</c>) calls it, so that every implementation reports alike: the target is
/// resolved inside the check (one that cannot even be built is reported unhealthy with the
/// reason instead of failing the whole health endpoint), any failure is the answer
/// (<see cref="HealthCheckRegistration.FailureStatus"/>, naming only the exception's type, never
/// its message, which may echo a connection string), and only the caller's own cancellation
/// escapes.
/// </summary>
public static class IntegrationHealthProbe
{
    /// <summary>Probes the integration store: healthy when it answers, otherwise "cannot be read".</summary>
    /// <typeparam name="TStore">The store (or the piece of it the probe reads).</typeparam>
    /// <param name="context">The health check's context.</param>
    /// <param name="resolve">Resolves the store; called inside the check.</param>
    /// <param name="describe">Names the resolved store in the result (never with a secret).</param>
    /// <param name="unresolvedName">The name used when the store cannot be resolved.</param>
    /// <param name="probe">One bounded read that touches no real record.</param>
    /// <param name="cancellationToken">The health check's cancellation.</param>
    /// <returns>The result.</returns>
    public static Task<HealthCheckResult> CheckStoreAsync<TStore>(
        HealthCheckContext context,
        Func<TStore> resolve,
        Func<TStore, string> describe,
        string unresolvedName,
        Func<TStore, CancellationToken, Task> probe,
        CancellationToken cancellationToken) =>
        RunAsync(context, resolve, describe, unresolvedName, probe,
            static name => $"The integration store ({name}) answers.",
            static (name, ex) => $"The integration store ({name}) cannot be read: {ex.GetType().Name}.",
            cancellationToken);

    /// <summary>Probes the shared token cache: healthy when it answers, otherwise "cannot be reached" and what that costs.</summary>
    /// <typeparam name="TCache">The cache (or the connection it runs on).</typeparam>
    /// <param name="context">The health check's context.</param>
    /// <param name="resolve">Resolves the cache; called inside the check.</param>
    /// <param name="describe">Names the resolved cache in the result (never with a secret).</param>
    /// <param name="unresolvedName">The name used when the cache cannot be resolved.</param>
    /// <param name="probe">One bounded call that reaches the cache's server (a cache whose reads turn an outage into a miss needs more than a read).</param>
    /// <param name="cancellationToken">The health check's cancellation.</param>
    /// <returns>The result.</returns>
    public static Task<HealthCheckResult> CheckTokenCacheAsync<TCache>(
        HealthCheckContext context,
        Func<TCache> resolve,
        Func<TCache, string> describe,
        string unresolvedName,
        Func<TCache, CancellationToken, Task> probe,
        CancellationToken cancellationToken) =>
        RunAsync(context, resolve, describe, unresolvedName, probe,
            static name => $"The token cache ({name}) answers.",
            static (name, ex) => $"The token cache ({name}) cannot be reached ({ex.GetType().Name}): tokens are not shared between processes and refreshes cannot take their lock.",
            cancellationToken);

    private static async Task<HealthCheckResult> RunAsync<TTarget>(
        HealthCheckContext context,
        Func<TTarget> resolve,
        Func<TTarget, string> describe,
        string unresolvedName,
        Func<TTarget, CancellationToken, Task> probe,
        Func<string, string> healthy,
        Func<string, Exception, string> unhealthy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resolve);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(probe);
        var name = unresolvedName;
        try
        {
            var target = resolve();
            name = describe(target);
            await probe(target, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(healthy(name));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure is the answer: unhealthy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, unhealthy(name, ex), ex);
        }
    }
}
