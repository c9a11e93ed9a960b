using System.Globalization;
using System.Net;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers.Sentry;

public class SentryLifecycleTests
{
    [Fact]
    public async Task InstallThenCall_AppInstallation_ExchangesTheCodeAndCallsWithTheInstallationToken()
    {
        await using var harness = new SentryHarness();

        var (url, callback, installation) = await harness.ConsentAsync();
        Assert.Equal(new Uri(harness.Fake.BaseUrl, $"sentry-apps/{SentryHarness.AppSlug}/external-install/").AbsolutePath, url.AbsolutePath);
        Assert.Equal(harness.Fake.BaseUrl.Authority, url.Authority);
        var integration = await harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Sentry, callback);

        Assert.Equal(IntegrationAuthTypes.OAuth2, integration.AuthType);
        Assert.Equal(installation.InstallationId, integration.GetMetadata(IntegrationMetadataKeys.InstallationId));
        Assert.Equal(installation.OrganizationSlug, integration.GetMetadata(IntegrationMetadataKeys.OrganizationSlug));
        Assert.Equal(harness.Fake.BaseUrl.AbsoluteUri.TrimEnd('/'), integration.GetMetadata(IntegrationMetadataKeys.BaseUrl));
        Assert.Equal(harness.Fake.CurrentToken(installation.InstallationId), integration.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Equal(harness.Fake.CurrentRefreshToken(installation.InstallationId), integration.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(harness.Time.GetUtcNow().AddHours(8), DateTimeOffset.Parse(integration.GetCredential(IntegrationCredentialKeys.ExpiresAt)!, CultureInfo.InvariantCulture));
        Assert.Contains("org:read", integration.Scopes);

        var organizations = await harness.Sentry(integration.Id).GetOrganizationsAsync();
        var projects = await harness.Sentry(integration.Id).GetProjectsAsync(installation.OrganizationSlug);

        Assert.Equal(installation.OrganizationSlug, organizations[0].GetProperty("slug").GetString());
        Assert.Equal(2, projects.GetArrayLength());
        Assert.Equal(1, harness.Fake.CodeExchangeCalls);
        Assert.Equal(0, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task Callback_WithoutInstallationId_IsAnInvalidCallback()
    {
        await using var harness = new SentryHarness();
        var (_, callback, _) = await harness.ConsentAsync();

        var error = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.HandleCallbackAsync(
            IntegrationProviders.Sentry, new OAuthCallback { Code = callback.Code, State = callback.State }));

        Assert.Equal(IntegrationErrorCodes.CallbackInvalid, error.ErrorCode);
        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task Callback_WithoutOurState_IsRefused()
    {
        await using var harness = new SentryHarness();
        var installation = harness.Fake.SimulateInstall();

        var error = await Assert.ThrowsAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(
            IntegrationProviders.Sentry, new OAuthCallback { Code = installation.Code, InstallationId = installation.InstallationId }));

        Assert.Equal(IntegrationErrorCodes.StateInvalid, error.ErrorCode);
        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task Send_TokenPastItsExpiresAt_RefreshesBeforeSendingAtTheInstallationEndpoint()
    {
        await using var harness = new SentryHarness();
        var integration = await harness.InstallAsync();
        var installationId = integration.GetMetadata(IntegrationMetadataKeys.InstallationId)!;
        await harness.Sentry(integration.Id).GetOrganizationsAsync();
        harness.Time.Advance(TimeSpan.FromHours(8));

        await harness.Sentry(integration.Id).GetOrganizationsAsync();

        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(2, harness.Fake.ApiCalls); // no 401 on the way: the expiry was known
        var stored = (await harness.Store.GetAsync(integration.Id))!;
        Assert.Equal(harness.Fake.CurrentToken(installationId), stored.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Equal(harness.Fake.CurrentRefreshToken(installationId), stored.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(harness.Time.GetUtcNow().AddHours(8), DateTimeOffset.Parse(stored.GetCredential(IntegrationCredentialKeys.ExpiresAt)!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Send_TokenRefusedWith401_RefreshesOnceAndRetries()
    {
        await using var harness = new SentryHarness();
        var integration = await harness.InstallAsync();
        await harness.Sentry(integration.Id).GetOrganizationsAsync();
        harness.Fake.ExpireTokens();
        harness.Fake.ResetCounters();

        var organizations = await harness.Sentry(integration.Id).GetOrganizationsAsync();

        Assert.Equal(1, organizations.GetArrayLength());
        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(2, harness.Fake.ApiCalls);
    }

    [Fact]
    public async Task Refresh_AppUninstalled_MarksReauthorizationRequired()
    {
        await using var harness = new SentryHarness();
        var integration = await harness.InstallAsync();
        harness.Fake.Uninstall(integration.GetMetadata(IntegrationMetadataKeys.InstallationId)!);

        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.Sentry(integration.Id).GetOrganizationsAsync());

        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Fact]
    public async Task Refresh_WrongClientSecret_IsNotADeadGrant()
    {
        await using var harness = new SentryHarness(sentry: o => o.ClientSecret = "rotated-by-mistake");
        var installation = harness.Fake.SimulateInstall();
        var integration = await harness.Connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Sentry,
            AccountId = "acct-1",
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.RefreshToken] = "whatever" },
            Metadata = new Dictionary<string, string>
            {
                [IntegrationMetadataKeys.BaseUrl] = harness.Fake.BaseUrl.AbsoluteUri,
                [IntegrationMetadataKeys.InstallationId] = installation.InstallationId,
            },
        });

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Sentry(integration.Id).GetOrganizationsAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain("rotated-by-mistake", error.Message, StringComparison.Ordinal);
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Fact]
    public async Task Install_RegionalAndSelfHostedHosts_EachConnectionExchangesCallsAndRefreshesOnItsOwnHost()
    {
        await using var harness = new SentryHarness(hosts: 3);
        var (saas, regional, selfHosted) = (harness.Fakes[0], harness.Fakes[1], harness.Fakes[2]);

        var onRegional = await harness.InstallAsync(regional);
        var onSelfHosted = await harness.InstallAsync(selfHosted);

        Assert.Equal(regional.BaseUrl.AbsoluteUri.TrimEnd('/'), onRegional.GetMetadata(IntegrationMetadataKeys.BaseUrl));
        Assert.Equal(selfHosted.BaseUrl.AbsoluteUri.TrimEnd('/'), onSelfHosted.GetMetadata(IntegrationMetadataKeys.BaseUrl));
        Assert.Equal((0, 1, 1), (saas.CodeExchangeCalls, regional.CodeExchangeCalls, selfHosted.CodeExchangeCalls));

        await harness.Sentry(onRegional.Id).GetOrganizationsAsync();
        await harness.Sentry(onSelfHosted.Id).GetOrganizationsAsync();
        await harness.Sentry(onSelfHosted.Id).GetOrganizationsAsync();
        Assert.Equal((0, 1, 2), (saas.ApiCalls, regional.ApiCalls, selfHosted.ApiCalls));

        harness.Time.Advance(TimeSpan.FromHours(8));
        await harness.Sentry(onRegional.Id).GetOrganizationsAsync();
        await harness.Sentry(onSelfHosted.Id).GetOrganizationsAsync();
        Assert.Equal((0, 1, 1), (saas.RefreshCalls, regional.RefreshCalls, selfHosted.RefreshCalls));
        Assert.Equal((0, 2, 3), (saas.ApiCalls, regional.ApiCalls, selfHosted.ApiCalls));
    }

    [Fact]
    public async Task BuildInstallUrl_HostNotAllowed_IsRefusedBeforeAnyStateIsIssued()
    {
        await using var harness = new SentryHarness();

        var error = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.BuildInstallUrlAsync(new InstallRequest
        {
            Provider = IntegrationProviders.Sentry,
            AccountId = "acct-1",
            BaseUrl = new Uri("https://sentry.attacker.example"),
        }));

        Assert.Equal(IntegrationErrorCodes.BaseUrlInvalid, error.ErrorCode);
    }

    [Fact]
    public async Task Refresh_RecordOnAHostNotAllowed_DoesNotSendTheSecretThere()
    {
        // A self-hosted host may carry auth-token connections, but it is not one of the app's
        // hosts: an OAuth record there is accepted, and its refresh still never sends the secret.
        var selfHosted = new List<Uri>();
        await using var harness = new SentryHarness(hosts: 2, sentry: o =>
        {
            o.AdditionalBaseUrls = [];
            o.SelfHostedBaseUrls = selfHosted;
        });
        var stranger = harness.Fakes[1];
        selfHosted.Add(stranger.BaseUrl);
        var installation = stranger.SimulateInstall();
        var integration = await harness.Connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Sentry,
            AccountId = "acct-1",
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.RefreshToken] = "whatever" },
            Metadata = new Dictionary<string, string>
            {
                [IntegrationMetadataKeys.BaseUrl] = stranger.BaseUrl.AbsoluteUri,
                [IntegrationMetadataKeys.InstallationId] = installation.InstallationId,
            },
        });

        var error = await Assert.ThrowsAsync<IntegrationException>(() => harness.Sentry(integration.Id).GetOrganizationsAsync());

        Assert.Equal(IntegrationErrorCodes.OAuthNotConfigured, error.ErrorCode);
        Assert.Equal(0, stranger.TokenEndpointCalls);
    }

    [Fact]
    public async Task StaticAuthToken_SelfHostedBase_CallsThatHostWithTheToken()
    {
        await using var harness = new SentryHarness(hosts: 2);
        var selfHosted = harness.Fakes[1];
        var integration = await harness.Connections.CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Sentry,
            AccountId = "acct-1",
            AuthType = IntegrationAuthTypes.Bearer,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = SentryHarness.StaticToken },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = selfHosted.BaseUrl.AbsoluteUri },
        });

        var projects = await harness.Sentry(integration.Id).GetProjectsAsync("scoutflo");

        Assert.Equal("backend", projects[0].GetProperty("slug").GetString());
        Assert.Equal((0, 1), (harness.Fake.ApiCalls, selfHosted.ApiCalls));
        Assert.Equal(0, selfHosted.TokenEndpointCalls);
    }

    [Fact]
    public async Task Send_AnyResponse_KeepsTheRateLimitHeadersForTheCaller()
    {
        await using var harness = new SentryHarness(fake: o => o.RateLimit = 2);
        var integration = await harness.InstallAsync();
        var client = harness.Sentry(integration.Id).HttpClient;

        using var first = await client.GetAsync("api/0/organizations/");
        using var second = await client.GetAsync("api/0/organizations/");
        using var limited = await client.GetAsync("api/0/organizations/");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("2", Header(first, "X-Sentry-Rate-Limit-Limit"));
        Assert.Equal("1", Header(first, "X-Sentry-Rate-Limit-Remaining"));
        Assert.Equal("0", Header(second, "X-Sentry-Rate-Limit-Remaining"));
        Assert.Equal(harness.Time.GetUtcNow().AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Header(first, "X-Sentry-Rate-Limit-Reset"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("2", Header(limited, "X-Sentry-Rate-Limit-Limit"));
        Assert.Equal("0", Header(limited, "X-Sentry-Rate-Limit-Remaining"));
        Assert.Equal(0, harness.Fake.RefreshCalls);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
