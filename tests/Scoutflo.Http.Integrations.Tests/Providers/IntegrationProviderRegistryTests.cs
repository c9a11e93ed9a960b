using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers;

/// <summary>
/// A provider is served only once the application adds it: the core registers none of the
/// named providers, and one provider's registration alone is enough for its records.
/// </summary>
public sealed class IntegrationProviderRegistryTests
{
    private const string SlackBotToken = "xoxb-SECRET-registry";

    public static TheoryData<string, string> NamedProviders => new()
    {
        { IntegrationProviders.Jira, "AddAtlassian()" },
        { IntegrationProviders.Jsm, "AddAtlassian()" },
        { IntegrationProviders.Confluence, "AddAtlassian()" },
        { IntegrationProviders.Slack, "AddSlack()" },
        { IntegrationProviders.Sentry, "AddSentry()" },
    };

    [Theory]
    [MemberData(nameof(NamedProviders))]
    public async Task CreateConnectionAsync_CoreOnly_NamedProviderIsNotRegisteredAndTheMessageNamesItsRegistration(string provider, string registration)
    {
        await using var host = TestHost.CreateCoreOnly();

        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => host.Connections.CreateConnectionAsync(Records.CustomBearer() with { Provider = provider }));

        Assert.Equal(IntegrationErrorCodes.ProviderNotRegistered, error.ErrorCode);
        Assert.Equal(provider, error.Provider);
        Assert.Contains(registration, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Records.BearerToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveConnectionAsync_CoreOnly_SlackRecordWrittenElsewhereFailsAndSendsNothing()
    {
        await using var host = TestHost.CreateCoreOnly();
        var stored = await host.Services.GetRequiredService<IIntegrationStore>().InsertAsync(SlackBearer());
        using var client = host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.PostAsync("auth.test", content: null));

        Assert.Equal(IntegrationErrorCodes.ProviderNotRegistered, error.ErrorCode);
        Assert.Contains("AddSlack()", error.Message, StringComparison.Ordinal);
        host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task CompleteSiteSelectionAsync_CoreOnly_NamesTheRegistrationThatCompletesIt()
    {
        await using var host = TestHost.CreateCoreOnly();

        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => host.Services.GetRequiredService<IIntegrationInstallService>().CompleteSiteSelectionAsync("handle-1", "cloud-1"));

        Assert.Equal(IntegrationErrorCodes.OAuthNotConfigured, error.ErrorCode);
        Assert.Contains("AddAtlassian()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_CoreOnly_CustomRecordIsServed()
    {
        await using var host = TestHost.CreateCoreOnly();

        var id = await host.AddAsync(Records.CustomBearer());

        Assert.Equal(new Uri(Records.CustomBaseUrl), (await host.Connections.ResolveConnectionAsync(id)).BaseAddress);
    }

    [Fact]
    public async Task AddSlack_Alone_ServesSlackRecordsAndNoOtherNamedProvider()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddSlack(o =>
        {
            o.ClientId = "slack-client";
            o.ClientSecret = "slack-SECRET-alone";
        });
        await using var provider = services.BuildServiceProvider();
        var connections = provider.GetRequiredService<IConnectionManager>();

        var slack = await connections.CreateConnectionAsync(SlackBearer());
        var jira = await Assert.ThrowsAsync<IntegrationException>(() => connections.CreateConnectionAsync(Records.JiraBasic("https://acme.atlassian.net")));

        Assert.Equal(new Uri("https://slack.com/api"), (await connections.ResolveConnectionAsync(slack.Id)).BaseAddress);
        Assert.Equal(IntegrationErrorCodes.ProviderNotRegistered, jira.ErrorCode);
    }

    [Fact]
    public async Task AddSentryClient_Alone_ServesSentryAuthTokenRecordsWithoutASentryApp()
    {
        var services = new ServiceCollection();
        services.AddSentryClient("66aa000000000000000000b1");
        await using var provider = services.BuildServiceProvider();
        var connections = provider.GetRequiredService<IConnectionManager>();

        var sentry = await connections.CreateConnectionAsync(Records.SentryBearer(baseUrl: null));

        Assert.Equal(new Uri("https://sentry.io"), (await connections.ResolveConnectionAsync(sentry.Id)).BaseAddress);
    }

    [Fact]
    public void AddAtlassianAndItsClients_Repeated_RegisterTheProviderOnce()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddAtlassian().AddAtlassian();
        services.AddJiraClient("66aa000000000000000000c1");
        services.AddJsmClient("66aa000000000000000000c2");

        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(Scoutflo.Http.Integrations.Providers.IIntegrationProvider)));
    }

    private static Integration SlackBearer() => new()
    {
        Provider = IntegrationProviders.Slack,
        AccountId = Records.AccountId,
        AuthType = IntegrationAuthTypes.Bearer,
        Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = SlackBotToken },
    };
}
