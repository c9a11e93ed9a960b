using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// The library registered as a consuming service registers it, on a fake clock the provider
/// fakes share, so that expiry is driven by the test. Subclasses add one provider and its fakes.
/// </summary>
internal abstract class LibraryHarness : IAsyncDisposable
{
    private ServiceProvider? _services;

    protected LibraryHarness() =>
        Time = new TestClock();

    /// <summary>One state-signing key for every harness, as replicas of one service would share it.</summary>
    public static string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public TestClock Time { get; }

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The harness has not built its services yet.");

    public IntegrationInstallService Install => Services.GetRequiredService<IntegrationInstallService>();

    public IConnectionManager Connections => Services.GetRequiredService<IConnectionManager>();

    public IIntegrationStore Store => Services.GetRequiredService<IIntegrationStore>();

    public ITokenCache Cache => Services.GetRequiredService<ITokenCache>();

    /// <summary>A typed client for one integration, from the multi-tenant factory.</summary>
    public TClient Client<TClient>(string integrationId)
        where TClient : class =>
        Services.GetRequiredService<IIntegrationClientFactory>().CreateClient<TClient>(integrationId);

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        DisposeFakes();
    }

    /// <summary>Registers the library with the harness clock, the shared signing key and no retry delays.</summary>
    protected IIntegrationsBuilder AddLibrary(IServiceCollection collection)
    {
        collection.AddSingleton<TimeProvider>(Time);
        return collection.AddScoutfloIntegrations(o =>
        {
            o.StateSigningKey = SigningKey;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
    }

    protected void Build(IServiceCollection collection) => _services = collection.BuildServiceProvider();

    protected abstract void DisposeFakes();
}
