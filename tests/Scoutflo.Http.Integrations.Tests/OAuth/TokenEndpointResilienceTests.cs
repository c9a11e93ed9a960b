using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>The token-endpoint client's resilience pipeline: what is retried, what never is, and who can change it.</summary>
public sealed class TokenEndpointResilienceTests
{
    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Refresh_4xx_IsNeverRetried(int status)
    {
        await using var harness = new AtlassianHarness();
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.FailNextTokenRequests(3, status);

        var error = await Assert.ThrowsAnyAsync<IntegrationException>(() => jira.GetMyselfAsync());

        Assert.Equal(1, harness.Fake.TokenEndpointCalls);
        Assert.NotEqual(IntegrationErrorCodes.TokenEndpointUnavailable, error.ErrorCode);
    }

    [Fact]
    public async Task Refresh_429ThenOk_IsRetried()
    {
        await using var harness = new AtlassianHarness();
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.FailNextTokenRequests(1, 429);

        await jira.GetMyselfAsync();

        Assert.Equal(2, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task Refresh_NoRetriesConfigured_FailsAfterOneAttempt()
    {
        await using var harness = new AtlassianHarness(services: s => s.Configure<ScoutfloIntegrationsOptions>(o => o.TokenRequestRetries = 0));
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.FailNextTokenRequests(1, 503);

        var error = await Assert.ThrowsAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());

        Assert.Equal(IntegrationErrorCodes.TokenEndpointUnavailable, error.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task ConfigureTokenEndpointResilience_ReplacesTheDefaultPipeline()
    {
        await using var harness = new AtlassianHarness(services: s => s.AddScoutfloIntegrations().ConfigureTokenEndpointResilience((pipeline, _) =>
            pipeline.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 5, Delay = TimeSpan.Zero })));
        var (_, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.FailNextTokenRequests(4, 503); // more than the default two retries allow

        await jira.GetMyselfAsync();

        Assert.Equal(5, harness.Fake.TokenEndpointCalls);
    }

    [Fact]
    public async Task Post_AttemptTimesOutOnTheInjectedClock_IsRetried()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
        var endpoint = new StubEndpoint();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddScoutfloIntegrations(o =>
        {
            o.TokenRequestTimeout = TimeSpan.FromSeconds(5);
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        services.AddHttpClient(IntegrationHttpClientNames.TokenEndpoint).ConfigurePrimaryHttpMessageHandler(() => endpoint);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TokenEndpointClient>();

        var posting = client.PostAsync(new TokenRequest("jira", new Uri("https://auth.example.test/oauth/token"),
            [KeyValuePair.Create("grant_type", "refresh_token")], TokenRequestFormat.Json), CancellationToken.None);
        await Signal.WaitAsync(endpoint.FirstRequestArrived.Task, "the first token request");
        Assert.False(posting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5)); // only the fake clock moves: the pipeline's timeout is on it
        var body = await Signal.WaitAsync(posting, "the retried token request");

        Assert.Equal("fresh", body.GetProperty("access_token").GetString());
        Assert.Equal(2, endpoint.Calls);
    }

    /// <summary>The first request never answers (until cancelled); the next ones answer a token.</summary>
    private sealed class StubEndpoint : HttpMessageHandler
    {
        private int _calls;

        public TaskCompletionSource FirstRequestArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                FirstRequestArrived.TrySetResult();

                // Held until the caller's cancellation: a signal, not a clock.
                await new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task.WaitAsync(cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"access_token":"fresh","expires_in":3600}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}
