using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Http;

/// <summary>
/// The handler over the real connection manager (in-memory store) and a MockHttp network:
/// which credential goes out, which integration is used, and which failures stop a request.
/// The URL rules are in the <c>.Urls</c> part of this class.
/// </summary>
public sealed partial class IntegrationAuthHandlerTests : IAsyncDisposable
{
    private const string IdA = "66aa000000000000000000a1";
    private const string IdB = "66aa000000000000000000b2";

    private readonly TestHost _host = TestHost.Create();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task SendAsync_ApiKeyWithDefaultHeader_SendsKeyInXApiKey()
    {
        var id = await _host.AddAsync(Records.CustomApiKey());
        using var client = _host.CreateHandlerClient(id);

        (await client.GetAsync("items")).EnsureSuccessStatusCode();

        var sent = _host.Network.Single();
        Assert.Equal([Records.ApiKey], sent.Header("X-Api-Key"));
        Assert.Empty(sent.Header("Authorization"));
        Assert.Equal("https://api.example.test/v2/items", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task SendAsync_ApiKeyWithCustomHeaderAndPrefix_SendsPrefixedKeyInThatHeader()
    {
        var id = await _host.AddAsync(Records.CustomApiKey(new Dictionary<string, string>
        {
            [IntegrationMetadataKeys.ApiKeyHeader] = "X-Service-Token",
            [IntegrationMetadataKeys.ApiKeyPrefix] = "Token",
        }));
        using var client = _host.CreateHandlerClient(id);

        (await client.GetAsync("items")).EnsureSuccessStatusCode();

        var sent = _host.Network.Single();
        Assert.Equal(["Token " + Records.ApiKey], sent.Header("X-Service-Token"));
        Assert.Empty(sent.Header("X-Api-Key"));
    }

    [Fact]
    public async Task SendAsync_ApiKeyAsQueryParameter_AppendsKeyAndKeepsExistingQuery()
    {
        var id = await _host.AddAsync(Records.CustomApiKey(new Dictionary<string, string>
        {
            [IntegrationMetadataKeys.ApiKeyQueryParameter] = "api_key",
        }));
        using var client = _host.CreateHandlerClient(id);

        (await client.GetAsync("items?page=2&q=open%20bugs")).EnsureSuccessStatusCode();

        var sent = _host.Network.Single();
        Assert.Equal($"https://api.example.test/v2/items?page=2&q=open%20bugs&api_key={Records.ApiKey}", sent.Uri.AbsoluteUri);
        Assert.Empty(sent.Header("X-Api-Key"));
    }

    [Fact]
    public async Task SendAsync_ApiKeyAsQueryParameterAlsoSetByCaller_SendsOnlyTheRecordsKey()
    {
        var id = await _host.AddAsync(Records.CustomApiKey(new Dictionary<string, string>
        {
            [IntegrationMetadataKeys.ApiKeyQueryParameter] = "api_key",
        }));
        using var client = _host.CreateHandlerClient(id);

        (await client.GetAsync("items?api_key=caller-value&page=2")).EnsureSuccessStatusCode();

        Assert.Equal($"?page=2&api_key={Records.ApiKey}", _host.Network.Single().Uri.Query);
    }

    [Fact]
    public async Task SendAsync_Basic_SendsBase64OfUserColonPassword()
    {
        var id = await _host.AddAsync(Records.CustomBasic());
        using var client = _host.CreateHandlerClient(id);

        (await client.GetAsync("items")).EnsureSuccessStatusCode();

        Assert.Equal(["Basic " + Records.BasicParameter], _host.Network.Single().Header("Authorization"));
    }

    [Fact]
    public async Task SendAsync_Bearer_SendsBearerToken()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        using var client = _host.CreateHandlerClient(id);

        (await client.GetAsync("items")).EnsureSuccessStatusCode();

        Assert.Equal(["Bearer " + Records.BearerToken], _host.Network.Single().Header("Authorization"));
    }

    [Fact]
    public async Task SendAsync_MappedCredentialsFromMetadata_SendsEveryMappedHeader()
    {
        var id = await _host.AddAsync(Records.Custom(
            IntegrationAuthTypes.MappedCredentials,
            new Dictionary<string, string> { ["api_key"] = "mk-SECRET-1", ["api_secret"] = "ms-SECRET-2" },
            new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = "X-Api-Key=api_key, X-Api-Secret=api_secret" }));
        using var client = _host.CreateHandlerClient(id);

        (await client.GetAsync("items")).EnsureSuccessStatusCode();

        var sent = _host.Network.Single();
        Assert.Equal(["mk-SECRET-1"], sent.Header("X-Api-Key"));
        Assert.Equal(["ms-SECRET-2"], sent.Header("X-Api-Secret"));
        Assert.Empty(sent.Header("Authorization"));
    }

    [Fact]
    public async Task SendAsync_CallerSetAuthorization_IsReplacedNotDuplicated()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        using var client = _host.CreateHandlerClient(id);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "default-header-token");
        using var request = new HttpRequestMessage(HttpMethod.Get, "items");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Y2FsbGVyOnRva2Vu");

        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        Assert.Equal(["Bearer " + Records.BearerToken], _host.Network.Single().Header("Authorization"));
    }

    [Fact]
    public async Task SendAsync_CallerSetApiKeyHeader_IsReplacedNotDuplicated()
    {
        var id = await _host.AddAsync(Records.CustomApiKey());
        using var client = _host.CreateHandlerClient(id);
        using var request = new HttpRequestMessage(HttpMethod.Get, "items");
        request.Headers.Add("X-Api-Key", "caller-key");

        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        Assert.Equal([Records.ApiKey], _host.Network.Single().Header("X-Api-Key"));
    }

    [Fact]
    public async Task SendAsync_RequestNamesAnotherIntegration_UsesThatIntegrationsCredentialAndBase()
    {
        await _host.AddAsync(Records.CustomBearer("token-A-SECRET", "https://a.example.test") with { Id = IdA });
        await _host.AddAsync(Records.CustomBearer("token-B-SECRET", "https://b.example.test/api") with { Id = IdB });
        using var client = _host.CreateHandlerClient(IdA);
        using var request = new HttpRequestMessage(HttpMethod.Get, "items").SetIntegrationId(IdB);

        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        var sent = _host.Network.Single();
        Assert.Equal("https://b.example.test/api/items", sent.Uri.AbsoluteUri);
        Assert.Equal(["Bearer token-B-SECRET"], sent.Header("Authorization"));
    }

    [Fact]
    public async Task SendAsync_NoIntegrationIdAnywhere_ThrowsIdMissingAndSendsNothing()
    {
        await _host.AddAsync(Records.CustomBearer());
        using var client = _host.CreateHandlerClient(integrationId: null);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("items"));

        Assert.Equal(IntegrationErrorCodes.IdMissing, error.ErrorCode);
        Assert.Equal("integration_id_missing", error.ErrorCode);
        _host.Network.AssertNothingSent();
    }

    [Theory]
    [InlineData("does-not-exist")]
    [InlineData("66aa0000000000000000fffz")]
    [InlineData("66aa0000000000000000ffff0")]
    public async Task SendAsync_MalformedIntegrationId_ThrowsIdInvalidNotNotFoundAndSendsNothing(string integrationId)
    {
        using var client = _host.CreateHandlerClient(integrationId);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("items"));

        Assert.Equal("integration_id_invalid", error.ErrorCode);
        Assert.Equal(400, error.ToProblemDetails().Status);
        _host.Network.AssertNothingSent();
    }

    [Theory]
    [InlineData("66aa0000000000000000ffff")]
    public async Task SendAsync_UnknownIntegrationId_ThrowsNotFoundAndSendsNothing(string integrationId)
    {
        using var client = _host.CreateHandlerClient(integrationId);

        var error = await Assert.ThrowsAsync<IntegrationNotFoundException>(() => client.GetAsync("items"));

        Assert.Equal("integration_not_found", error.ErrorCode);
        Assert.Equal(integrationId, error.IntegrationId);
        _host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task SendAsync_ReauthorizationRequired_ThrowsAndSendsNothing()
    {
        var stored = await _host.Connections.CreateConnectionAsync(Records.CustomBearer());
        await _host.Connections.UpdateConnectionAsync(stored with { Status = IntegrationStatus.ReauthorizationRequired }, stored.Version);
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => client.GetAsync("items"));

        Assert.Equal("integration_reauthorization_required", error.ErrorCode);
        Assert.Equal(stored.Id, error.IntegrationId);
        _host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task SendAsync_Disabled_ThrowsDisabledAndSendsNothing()
    {
        var stored = await _host.Connections.CreateConnectionAsync(Records.CustomBearer());
        await _host.Connections.UpdateConnectionAsync(stored with { Status = IntegrationStatus.Disabled }, stored.Version);
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("items"));

        Assert.Equal(IntegrationErrorCodes.Disabled, error.ErrorCode);
        _host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task Send_Synchronous_ThrowsNotSupportedAndSendsNothing()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        using var client = _host.CreateHandlerClient(id);
        using var request = new HttpRequestMessage(HttpMethod.Get, "items");

        Assert.Throws<NotSupportedException>(() => client.Send(request));
        _host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task AddIntegrationAuth_NamedClientWithMockPrimaryHandler_SendsTheBoundIntegrationsCredential()
    {
        using var network = new FakeNetwork();
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        services.AddHttpClient("custom-api")
            .AddIntegrationAuth(IdA)
            .ConfigurePrimaryHttpMessageHandler(() => network.Handler);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IConnectionManager>().CreateConnectionAsync(Records.CustomBasic() with { Id = IdA });
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("custom-api");

        (await client.GetAsync("/items?state=open")).EnsureSuccessStatusCode();

        var sent = network.Single();
        Assert.Equal("https://api.example.test/v2/items?state=open", sent.Uri.AbsoluteUri);
        Assert.Equal(["Basic " + Records.BasicParameter], sent.Header("Authorization"));
    }
}
