using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations;

namespace JiraConsumer.Tests;

/// <summary>
/// The library's public types a consumer needs in its own tests, built from an assembly the
/// library gives no InternalsVisibleTo (this one), so only the public path compiles.
/// </summary>
public sealed class PublicSurfaceTests
{
    private const string Id = "66ee000000000000000000d1";

    [Fact]
    public async Task ResolvedConnection_ReturnedByAConsumerTestDouble_DrivesTheAuthHandler()
    {
        var record = new Integration
        {
            Id = Id,
            Provider = IntegrationProviders.Custom,
            AccountId = "acct-1",
            AuthType = "consumer_token",
            Credentials = new Dictionary<string, string>(),
        };
        var connection = new ResolvedConnection(record, new Uri("https://api.example.test/v2/"), null, new HeaderApplier());
        var inner = new RecordingHandler();
        using var client = new HttpClient(new IntegrationAuthHandler(new OneConnection(connection), new IntegrationAuthHandlerOptions { IntegrationId = Id }) { InnerHandler = inner })
        {
            BaseAddress = new Uri("https://integration.invalid/"),
        };

        using var response = await client.GetAsync("items?page=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri("https://api.example.test/v2/items?page=2"), inner.Uri);
        Assert.Equal(["from-double"], inner.Token);
        Assert.Equal(Id, connection.IntegrationId);
        Assert.Equal("consumer_token", connection.AuthType);
    }

    [Fact]
    public void ResolvedConnection_RelativeBaseAddress_Refused() =>
        Assert.Throws<ArgumentException>(() => new ResolvedConnection(
            new Integration { Provider = "custom", AccountId = "a", AuthType = "x" }, new Uri("/v2", UriKind.Relative), null, new HeaderApplier()));

    [Fact]
    public async Task InstallResult_BuiltByAConsumer_SavedByTheInstallService()
    {
        var services = new ServiceCollection();
        // The record is Sentry's: the application adds Sentry (the core serves no named provider).
        services.AddScoutfloIntegrations(o => o.StateSigningKey = Convert.ToBase64String(new byte[32]))
            .AddSentry(o =>
            {
                o.ClientId = "sentry-client";
                o.ClientSecret = "sentry-SECRET-app";
                o.AppSlug = "scoutflo-consumer";
            });
        await using var provider = services.BuildServiceProvider();
        var result = new InstallResult(new Integration
        {
            Provider = IntegrationProviders.Sentry,
            AccountId = "acct-1",
            AuthType = IntegrationAuthTypes.Bearer,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = "sntrys-SECRET-1" },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = "https://sentry.io" },
        }, returnUrl: "/done");

        var saved = await provider.GetRequiredService<IntegrationInstallService>().SaveAsync(result);

        Assert.Empty(result.SiblingIntegrationIds);
        Assert.Equal("/done", result.ReturnUrl);
        Assert.NotEmpty(saved.Id);
        Assert.Equal("acct-1", (await provider.GetRequiredService<IConnectionManager>().GetConnectionAsync(saved.Id))?.AccountId);
    }

    private sealed class HeaderApplier : ICredentialApplier
    {
        public bool CanRefresh => false;

        public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Consumer-Token", "from-double");
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryRefreshAsync(HttpRequestMessage failedRequest, HttpResponseMessage response, CancellationToken cancellationToken) =>
            ValueTask.FromResult(false);
    }

    private sealed class OneConnection(ResolvedConnection connection) : IConnectionManager
    {
        public ValueTask<ResolvedConnection> ResolveConnectionAsync(string integrationId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(connection);

        public Task<Integration> CreateConnectionAsync(Integration integration, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Integration?> GetConnectionAsync(string integrationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<Integration>> ListConnectionsAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<Integration> UpdateConnectionAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteConnectionAsync(string integrationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void Invalidate(string integrationId)
        {
        }
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        public string[] Token { get; private set; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            Token = request.Headers.TryGetValues("X-Consumer-Token", out var values) ? [.. values] : [];
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
