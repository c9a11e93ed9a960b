using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Fakes;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>
/// A token request (code exchange, refresh, Sentry authorizations, Atlassian accessible-resources)
/// goes to the configured endpoint only: a redirect of any kind is an error, and nothing reaches
/// the redirect's target, whatever handler the application put on the token client.
/// </summary>
public sealed class TokenEndpointRedirectTests
{
    private const string Redirected = "oauth_token_endpoint_redirected";

    public static TheoryData<int> RedirectStatuses => [301, 302, 303, 307, 308];

    [Theory]
    [MemberData(nameof(RedirectStatuses))]
    public async Task AtlassianRefresh_TokenEndpointRedirects_FailsAndSendsNothingThere(int status)
    {
        using var elsewhere = new RecordingServer();
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        var refreshToken = (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken);
        harness.Fake.RedirectNextTokenRequests(1, status, elsewhere.Url("oauth/token"));

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(Redirected, error.ErrorCode);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal(1, harness.Fake.TokenEndpointCalls); // a redirect is not retried
        Assert.Equal(refreshToken, (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Theory]
    [MemberData(nameof(RedirectStatuses))]
    public async Task AtlassianCodeExchange_TokenEndpointRedirects_FailsAndSendsNothingThere(int status)
    {
        using var elsewhere = new RecordingServer();
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();
        harness.Fake.RedirectNextTokenRequests(1, status, elsewhere.Url("oauth/token"));

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal(Redirected, error.ErrorCode);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal(1, harness.Fake.TokenEndpointCalls);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task AtlassianAccessibleResources_Redirects_FailsAndSendsTheTokenNowhere(int status)
    {
        using var elsewhere = new RecordingServer();
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();
        harness.Fake.RedirectNextAccessibleResourcesRequests(1, status, elsewhere.Url("oauth/token/accessible-resources"));

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal(Redirected, error.ErrorCode);
        Assert.Empty(elsewhere.Requests);
    }

    [Theory]
    [MemberData(nameof(RedirectStatuses))]
    public async Task SlackCodeExchangeAndRefresh_TokenEndpointRedirects_FailAndSendNothingThere(int status)
    {
        using var elsewhere = new RecordingServer();
        await using var harness = new SlackHarness();
        var (_, callback) = await harness.ConsentAsync();
        harness.Fake.RedirectNextTokenRequests(1, status, elsewhere.Url("api/oauth.v2.access"));

        var exchange = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Slack, callback));

        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        harness.Fake.ExpireBotTokens();
        harness.Fake.RedirectNextTokenRequests(1, status, elsewhere.Url("api/oauth.v2.access"));
        var refresh = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => slack.AuthTestAsync());

        Assert.Equal(Redirected, exchange.ErrorCode);
        Assert.Equal(Redirected, refresh.ErrorCode);
        Assert.Empty(elsewhere.Requests);
    }

    [Theory]
    [MemberData(nameof(RedirectStatuses))]
    public async Task SentryAuthorizations_Redirect_FailAndSendNothingThere(int status)
    {
        using var elsewhere = new RecordingServer();
        await using var harness = new SentryHarness();
        var (_, callback, installation) = await harness.ConsentAsync();
        var target = elsewhere.Url($"api/0/sentry-app-installations/{installation.InstallationId}/authorizations/");
        harness.Fake.RedirectNextTokenRequests(1, status, target);

        var exchange = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Sentry, callback));

        var integration = await harness.InstallAsync();
        await harness.Sentry(integration.Id).GetOrganizationsAsync();
        harness.Fake.ExpireTokens();
        harness.Fake.RedirectNextTokenRequests(1, status, target);
        var refresh = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => harness.Sentry(integration.Id).GetOrganizationsAsync());

        Assert.Equal(Redirected, exchange.ErrorCode);
        Assert.Equal(Redirected, refresh.ErrorCode);
        Assert.Empty(elsewhere.Requests);
    }

    public static TheoryData<string> UserConfigurations => ["SocketsHttpHandler", "HttpClientHandler", "Defaults", "WrappedPrimary"];

    [Theory]
    [MemberData(nameof(UserConfigurations))]
    public async Task Refresh_UserPrimaryHandlerFollowsRedirects_StillSendsNothingToTheSecondHost(string configuration)
    {
        using var elsewhere = new RecordingServer();
        await using var harness = new AtlassianHarness(services: s =>
        {
            var client = s.AddHttpClient(IntegrationHttpClientNames.TokenEndpoint);
            switch (configuration)
            {
                case "SocketsHttpHandler":
                    client.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true });
                    break;
                case "HttpClientHandler":
                    client.ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = true });
                    break;
                case "Defaults":
                    s.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 5 }));
                    break;
                default:
                    client.ConfigurePrimaryHttpMessageHandler(() => new PassThroughHandler(new SocketsHttpHandler { AllowAutoRedirect = true }));
                    break;
            }
        });
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.RedirectNextTokenRequests(1, 307, elsewhere.Url("oauth/token"));

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(Redirected, error.ErrorCode);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task Refresh_UserHandlerFollowsRedirectsItself_IsStoppedBeforeTheSecondHost()
    {
        using var elsewhere = new RecordingServer();
        await using var harness = new AtlassianHarness(services: s => s
            .AddHttpClient(IntegrationHttpClientNames.TokenEndpoint)
            .AddHttpMessageHandler(() => new FollowRedirectsHandler()));
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.RedirectNextTokenRequests(1, 308, elsewhere.Url("oauth/token"));

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(Redirected, error.ErrorCode);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal(1, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task Refresh_UserPrimaryHandlerOfUnknownKindFollowsRedirects_ItsAnswerIsRefused()
    {
        // A primary handler the library cannot inspect followed the redirect below every handler:
        // the secret has left, but the answer of the other host is not taken as a token.
        using var elsewhere = new RecordingServer();
        await using var harness = new AtlassianHarness(services: s => s
            .AddHttpClient(IntegrationHttpClientNames.TokenEndpoint)
            .ConfigurePrimaryHttpMessageHandler(() => new OpaqueFollowingHandler()));
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.RedirectNextTokenRequests(1, 307, elsewhere.Url("oauth/token"));

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(Redirected, error.ErrorCode);
        Assert.NotEqual("stolen-access-token", (await harness.Store.GetAsync(integration.Id))!.GetCredential(IntegrationCredentialKeys.AccessToken));
    }

    [Fact]
    public async Task Refresh_UserHandlerChangesTheTarget_IsRefusedBeforeItLeaves()
    {
        using var elsewhere = new RecordingServer();
        var retarget = new RetargetHandler.Switch();
        await using var harness = new AtlassianHarness(services: s => s
            .AddHttpClient(IntegrationHttpClientNames.TokenEndpoint)
            .AddHttpMessageHandler(() => new RetargetHandler(retarget, elsewhere.Url("oauth/token"))));
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        retarget.On = true;

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(Redirected, error.ErrorCode);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal(0, harness.Fake.TokenEndpointCalls);
    }

    /// <summary>A primary handler that wraps the real one (as test or proxy shims do).</summary>
    private sealed class PassThroughHandler(HttpMessageHandler inner) : DelegatingHandler(inner);

    /// <summary>Follows redirects itself, as a naive handler an application might add would: same method and body for 307/308.</summary>
    private sealed class FollowRedirectsHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            for (var hops = 0; hops < 5 && (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location; hops++)
            {
                var next = new HttpRequestMessage(request.Method, new Uri(request.RequestUri!, location));
                foreach (var header in request.Headers)
                {
                    next.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                if (body is not null)
                {
                    next.Content = new ByteArrayContent(body);
                    foreach (var header in request.Content!.Headers)
                    {
                        next.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }
                }

                response.Dispose();
                response = await base.SendAsync(next, cancellationToken);
            }

            return response;
        }
    }

    /// <summary>Rewrites the request's target in place, once switched on.</summary>
    private sealed class RetargetHandler(RetargetHandler.Switch state, Uri target) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (state.On)
            {
                request.RequestUri = target;
            }

            return base.SendAsync(request, cancellationToken);
        }

        public sealed class Switch
        {
            public volatile bool On;
        }
    }

    /// <summary>A handler type the library does not know, following redirects inside.</summary>
    private sealed class OpaqueFollowingHandler : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _inner = new(new SocketsHttpHandler { AllowAutoRedirect = true });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _inner.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
