using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Auth;

/// <summary>
/// A consumer's own <see cref="IAuthStrategy"/> (an HMAC request signer, as some partner APIs
/// want), registered the documented ways, used end to end through a typed client on the custom
/// provider; the library's record rules and host guard still hold around it.
/// </summary>
public sealed class CustomAuthStrategyTests
{
    private const string Id = "66ee000000000000000000c7";
    private const string KeyId = "partner-key-1";
    private const string Secret = "hmac-SECRET-8c1e";

    public static TheoryData<string> Registrations() => ["builder", "service-collection"];

    [Theory]
    [MemberData(nameof(Registrations))]
    public async Task RegisteredStrategy_CustomProviderRecord_SignsTypedClientRequests(string registration)
    {
        await using var host = TestHost.Create(services => Register(services, registration));
        await host.Connections.CreateConnectionAsync(SignedRecord() with { Id = Id });
        var client = host.Services.GetRequiredService<PartnerClient>();

        using var response = await client.CreateAsync("{\"name\":\"x\"}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = host.Network.Single();
        Assert.Equal(new Uri("https://api.example.test/v2/items"), sent.Uri);
        Assert.Equal([KeyId], sent.Header(HmacStrategy.KeyHeader));
        Assert.Equal([Sign("POST", "/v2/items", "{\"name\":\"x\"}")], sent.Header(HmacStrategy.SignatureHeader));
        Assert.DoesNotContain(sent.Headers.Values.SelectMany(v => v), v => v.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisteredStrategy_RequestToAnotherHost_RefusedAndNothingSent()
    {
        await using var host = TestHost.Create(services => services.AddScoutfloIntegrations().AddAuthStrategy<HmacStrategy>());
        await host.Connections.CreateConnectionAsync(SignedRecord() with { Id = Id });
        using var client = host.CreateHandlerClient(Id);

        var ex = await Assert.ThrowsAsync<IntegrationHostNotAllowedException>(() => client.GetAsync("https://collector.example.net/v2/items"));

        Assert.Equal(IntegrationErrorCodes.HostNotAllowed, ex.ErrorCode);
        host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task RegisteredStrategy_RecordBreakingStoredValueRules_RefusedBeforeTheStrategySeesIt()
    {
        var strategy = new HmacStrategy();
        await using var host = TestHost.Create(services => services.AddScoutfloIntegrations().AddAuthStrategy(strategy));
        var record = SignedRecord(secret: "line\r\nX-Injected: 1");

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.CreateConnectionAsync(record));

        Assert.Equal(IntegrationErrorCodes.CredentialsInvalid, ex.ErrorCode);
        Assert.Equal(0, strategy.Validations);
    }

    [Fact]
    public async Task RegisteredStrategy_RecordMissingWhatItNeeds_RefusedByTheStrategy()
    {
        await using var host = TestHost.Create(services => services.AddScoutfloIntegrations().AddAuthStrategy<HmacStrategy>());
        var record = Records.Custom(HmacStrategy.Type, new Dictionary<string, string> { ["hmac_key_id"] = KeyId });

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.CreateConnectionAsync(record));

        Assert.Equal(IntegrationErrorCodes.CredentialsMissing, ex.ErrorCode);
    }

    [Theory]
    [InlineData(IntegrationProviders.Jira)]
    [InlineData(IntegrationProviders.Slack)]
    [InlineData(IntegrationProviders.Sentry)]
    public async Task RegisteredStrategy_NamedProvider_DoesNotAcceptIt(string provider)
    {
        await using var host = TestHost.Create(services => services.AddScoutfloIntegrations().AddAuthStrategy<HmacStrategy>());

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.CreateConnectionAsync(SignedRecord() with { Provider = provider }));

        Assert.Equal(IntegrationErrorCodes.AuthTypeUnsupported, ex.ErrorCode);
    }

    [Fact]
    public async Task UnregisteredAuthType_CustomProvider_StillRefused()
    {
        await using var host = TestHost.Create();

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.CreateConnectionAsync(SignedRecord()));

        Assert.Equal(IntegrationErrorCodes.AuthTypeUnsupported, ex.ErrorCode);
    }

    [Fact]
    public async Task OAuth2_CustomProvider_StillRefused()
    {
        await using var host = TestHost.Create(services => services.AddScoutfloIntegrations().AddAuthStrategy<HmacStrategy>());
        var record = Records.Custom(IntegrationAuthTypes.OAuth2, new Dictionary<string, string> { ["access_token"] = "at-1", ["refresh_token"] = "rt-1" });

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.CreateConnectionAsync(record));

        Assert.Equal(IntegrationErrorCodes.AuthTypeUnsupported, ex.ErrorCode);
    }

    private static void Register(IServiceCollection services, string registration)
    {
        if (registration == "builder")
        {
            services.AddScoutfloIntegrations().AddAuthStrategy<HmacStrategy>();
        }
        else
        {
            services.AddSingleton<IAuthStrategy, HmacStrategy>();
        }

        services.AddHttpClient<PartnerClient>().AddIntegrationAuth(Id);
    }

    private static Integration SignedRecord(string secret = Secret) =>
        Records.Custom(HmacStrategy.Type, new Dictionary<string, string> { ["hmac_key_id"] = KeyId, ["hmac_secret"] = secret });

    // Computed here from the test's own constants, not through the strategy.
    private static string Sign(string method, string path, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{method}\n{path}\n{body}")));

    private sealed class PartnerClient(HttpClient http)
    {
        public Task<HttpResponseMessage> CreateAsync(string json) =>
            http.PostAsync("items", new StringContent(json, Encoding.UTF8, "application/json"));
    }

    private sealed class HmacStrategy : IAuthStrategy
    {
        public const string Type = "hmac_sha256";
        public const string KeyHeader = "X-Partner-Key";
        public const string SignatureHeader = "X-Partner-Signature";

        public int Validations { get; private set; }

        public string AuthType => Type;

        public void Validate(Integration integration, ProviderProfile provider)
        {
            Validations++;
            if (!integration.Credentials.ContainsKey("hmac_key_id") || !integration.Credentials.ContainsKey("hmac_secret"))
            {
                throw new IntegrationException(IntegrationErrorCodes.CredentialsMissing, "An hmac_sha256 integration needs hmac_key_id and hmac_secret.");
            }
        }

        public ICredentialApplier CreateApplier(Integration integration, ProviderProfile provider) =>
            new Applier(integration.Credentials["hmac_key_id"], Encoding.UTF8.GetBytes(integration.Credentials["hmac_secret"]));

        private sealed class Applier(string keyId, byte[] secret) : ICredentialApplier
        {
            public bool CanRefresh => false;

            public async ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
                var payload = $"{request.Method.Method}\n{request.RequestUri!.AbsolutePath}\n{body}";
                request.Headers.Remove(KeyHeader);
                request.Headers.Remove(SignatureHeader);
                request.Headers.Add(KeyHeader, keyId);
                request.Headers.Add(SignatureHeader, Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(payload))));
            }

            public ValueTask<bool> TryRefreshAsync(HttpRequestMessage failedRequest, HttpResponseMessage response, CancellationToken cancellationToken) =>
                ValueTask.FromResult(false);
        }
    }
}
