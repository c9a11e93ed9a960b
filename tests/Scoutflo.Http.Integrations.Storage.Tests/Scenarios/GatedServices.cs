using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Storage.Tests.Scenarios;

/// <summary>Test decorators over the library's storage contracts, to hold a refresh at one exact step.</summary>
internal static class GatedServices
{
    /// <summary>Replaces the last registration of <typeparamref name="T"/> with a decorator of it.</summary>
    public static IServiceCollection Decorate<T>(this IServiceCollection services, Func<T, T> decorate)
        where T : class
    {
        var descriptor = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(descriptor);
        services.AddSingleton<T>(sp => decorate((T)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!))));
        return services;
    }
}

/// <summary>A store whose updates can be held or failed by the test (<see cref="BeforeUpdate"/>).</summary>
internal sealed class GatedIntegrationStore(IIntegrationStore inner) : IIntegrationStore
{
    /// <summary>Runs before an update reaches the store; may wait or throw.</summary>
    public Func<Integration, Task>? BeforeUpdate { get; set; }

    public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default) => inner.GetAsync(integrationId, cancellationToken);

    public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) =>
        inner.FindByAccountAsync(accountId, providers, cancellationToken);

    public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default) => inner.InsertAsync(integration, cancellationToken);

    public async Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
    {
        if (BeforeUpdate is { } before)
        {
            await before(integration);
        }

        return await inner.UpdateAsync(integration, expectedVersion, cancellationToken);
    }

    public Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
        inner.FindStaleOAuthAsync(updatedBefore, limit, afterId, cancellationToken);

    public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) => inner.DeleteAsync(integrationId, cancellationToken);
}

/// <summary>A shared token cache whose writes can be held by the test (<see cref="BeforeSet"/>).</summary>
internal sealed class GatedTokenCache(ITokenCache inner) : ITokenCache
{
    public Func<string, Task>? BeforeSet { get; set; }

    public ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public async ValueTask SetAsync(string key, string token, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        if (BeforeSet is { } before)
        {
            await before(key);
        }

        await inner.SetAsync(key, token, timeToLive, cancellationToken);
    }

    public ValueTask<bool> RemoveIfAsync(string key, string token, CancellationToken cancellationToken = default) => inner.RemoveIfAsync(key, token, cancellationToken);
}
