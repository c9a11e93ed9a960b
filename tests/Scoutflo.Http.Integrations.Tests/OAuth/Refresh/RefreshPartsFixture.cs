using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth.Refresh;

/// <summary>
/// The refresh path's parts in the real container (in-memory store and cache, fake clock), with
/// records put straight into the store: these tests are about one part each, not the provider.
/// </summary>
internal sealed class RefreshParts : IAsyncDisposable
{
    private readonly TestHost _host;

    public RefreshParts(Action<IServiceCollection>? configure = null)
    {
        _host = TestHost.Create(services =>
        {
            services.AddSingleton(sp => new CountingIntegrationStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>())));
            services.AddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<CountingIntegrationStore>());
            configure?.Invoke(services);
        });
    }

    public IServiceProvider Services => _host.Services;

    public CountingIntegrationStore Store => Services.GetRequiredService<CountingIntegrationStore>();

    public ITokenCache Cache => Services.GetRequiredService<ITokenCache>();

    public DateTimeOffset Now => _host.Time.GetUtcNow();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public Task<Integration> AddOAuthAsync(string provider, string refreshToken, string accountId = Records.AccountId, string accessToken = "at-old") =>
        Store.InsertAsync(new Integration
        {
            Provider = provider,
            AccountId = accountId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.AccessToken] = accessToken,
                [IntegrationCredentialKeys.RefreshToken] = refreshToken,
            },
        });

    public OAuthConnection Connection(Integration record, OAuthTokenSlot? slot = null) =>
        new(record, Services.GetServices<IOAuthProvider>().Last(p => p.Providers.Contains(record.Provider)), slot ?? OAuthTokenSlot.Primary);

    /// <summary>The access token the shared cache holds for <paramref name="record"/>'s primary slot, if any.</summary>
    public async Task<string?> CachedAccessTokenAsync(Integration record) => (await Cache.GetAsync(Connection(record).CacheKey))?.Token;

    /// <summary>The rotation journal the shared cache holds for <paramref name="grant"/>'s primary slot, if any.</summary>
    public async Task<string?> JournalAsync(Integration grant) => (await Cache.GetAsync(RotationJournal.Key(grant, OAuthTokenSlot.Primary)))?.Token;

    public static OAuthTokenResponse Tokens(string accessToken, string? refreshToken, DateTimeOffset expiresAt) =>
        new(accessToken, refreshToken, expiresAt, [], JsonDocument.Parse("{}").RootElement);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
