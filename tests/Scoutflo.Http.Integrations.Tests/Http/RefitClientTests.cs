using Microsoft.Extensions.DependencyInjection;
using Refit;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Http;

public interface IRefitItemsApi
{
    [Get("/items/{id}")]
    Task<RefitItem> GetItemAsync(string id);
}

public interface IRefitTenantItemsApi
{
    [Get("/items/{id}")]
    Task<RefitItem> GetItemAsync([Property(IntegrationRequestOptions.IntegrationIdName)] string integrationId, string id);
}

public sealed record RefitItem(string Id);

/// <summary>Refit clients: a bound integration through AddIntegrationAuth, and a per-call id through a [Property] parameter.</summary>
public sealed class RefitClientTests : IAsyncDisposable
{
    private const string IdA = "66aa000000000000000000a1";
    private const string IdB = "66aa000000000000000000b2";

    private readonly TestHost _host;

    public RefitClientTests()
    {
        // Refit sets its own primary handler, over the container's defaults: point it at the fake network.
        TestHost? host = null;
        _host = host = TestHost.Create(services =>
        {
            services.AddRefitGeneratedClient<IRefitItemsApi>().AddIntegrationAuth(IdA)
                .ConfigurePrimaryHttpMessageHandler(() => host!.Network.Handler);
            services.AddRefitGeneratedClient<IRefitTenantItemsApi>().AddIntegrationAuth()
                .ConfigurePrimaryHttpMessageHandler(() => host!.Network.Handler);
        });
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task RefitClient_BoundIntegration_SendsWithItsCredentialToItsBase()
    {
        await _host.AddAsync(Records.CustomBearer("token-A-SECRET", "https://a.example.test/api") with { Id = IdA });

        await _host.Services.GetRequiredService<IRefitItemsApi>().GetItemAsync("7");

        var sent = _host.Network.Single();
        Assert.Equal("https://a.example.test/api/items/7", sent.Uri.AbsoluteUri);
        Assert.Equal(["Bearer token-A-SECRET"], sent.Header("Authorization"));
    }

    [Fact]
    public async Task RefitClient_IntegrationIdAsAPropertyParameter_SendsEachCallForItsOwnIntegration()
    {
        await _host.AddAsync(Records.CustomBearer("token-A-SECRET", "https://a.example.test/api") with { Id = IdA });
        await _host.AddAsync(Records.CustomBearer("token-B-SECRET", "https://b.example.test/api") with { Id = IdB });
        var api = _host.Services.GetRequiredService<IRefitTenantItemsApi>();

        await api.GetItemAsync(IdB, "1");
        await api.GetItemAsync(IdA, "2");

        Assert.Collection(_host.Network.Sent,
            b =>
            {
                Assert.Equal("https://b.example.test/api/items/1", b.Uri.AbsoluteUri);
                Assert.Equal(["Bearer token-B-SECRET"], b.Header("Authorization"));
            },
            a =>
            {
                Assert.Equal("https://a.example.test/api/items/2", a.Uri.AbsoluteUri);
                Assert.Equal(["Bearer token-A-SECRET"], a.Header("Authorization"));
            });
    }

    [Fact]
    public void IntegrationRequestOptions_TypedKey_IsTheKeySetIntegrationIdUses()
    {
        using var request = new HttpRequestMessage().SetIntegrationId(IdB);

        Assert.True(request.Options.TryGetValue(IntegrationRequestOptions.IntegrationId, out var id));
        Assert.Equal(IdB, id);
    }
}
