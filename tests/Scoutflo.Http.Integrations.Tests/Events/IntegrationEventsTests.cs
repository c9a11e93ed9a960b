using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Events;

public sealed class IntegrationEventsTests
{
    [Fact]
    public async Task RevokedGrant_50ConcurrentCallsOnTwoSiblings_RaiseReauthorizationOncePerIntegration()
    {
        var events = new RecordingEvents();
        await using var harness = new AtlassianHarness(services: s => s.AddScoutfloIntegrations().AddEvents(events));
        var jira = await harness.InstallAsync(IntegrationProviders.Jira);
        var confluence = await harness.InstallAsync(IntegrationProviders.Confluence);
        await harness.Jira(jira.Id).GetMyselfAsync();
        await harness.Confluence(confluence.Id).GetSpacesAsync();
        harness.Fake.RevokeGrant(harness.Fake.ConsentingAccountId);
        harness.Fake.ExpireAccessTokens();

        var calls = Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? (Task)harness.Jira(jira.Id).GetMyselfAsync()
            : harness.Confluence(confluence.Id).GetSpacesAsync());
        var outcomes = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                await c;
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }));

        Assert.All(outcomes, e => Assert.IsType<ReauthorizationRequiredException>(e));
        Assert.Equal(2, events.Reauthorizations.Count);
        Assert.Equal(new[] { confluence.Id, jira.Id }.Order(), events.Reauthorizations.Select(e => e.IntegrationId).Order());
        Assert.All(events.Reauthorizations, e =>
        {
            Assert.Equal("acct-1", e.AccountId);
            Assert.Equal("integration_reauthorization_required", e.ErrorCode);
            Assert.Equal("invalid_grant", e.Reason);
            Assert.Equal(harness.Time.GetUtcNow(), e.OccurredAt);
        });
        Assert.Empty(events.RefreshFailures);
    }

    [Fact]
    public async Task TokenEndpointDown_ManyWaitingCallers_RaiseRefreshFailedOncePerFailedRefresh()
    {
        var events = new RecordingEvents();
        await using var harness = new AtlassianHarness(services: s => s.AddScoutfloIntegrations().AddEvents(events));
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.FailNextTokenRequests(3, 503);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                await jira.GetMyselfAsync();
                return null;
            }
            catch (OAuthTokenRequestException ex)
            {
                return ex;
            }
        }));

        // Callers that came after the failed flight start a new one, which succeeds (the fake
        // fails three requests only): whatever the interleaving, one refresh failed.
        Assert.Contains(outcomes, e => e is not null);
        var failure = Assert.Single(events.RefreshFailures);
        Assert.Equal(integration.Id, failure.IntegrationId);
        Assert.Equal("oauth_token_endpoint_unavailable", failure.ErrorCode);
        Assert.IsType<OAuthTokenRequestException>(failure.Exception);
        Assert.Empty(events.Reauthorizations);
        Assert.Equal(IntegrationStatus.Active, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    [Fact]
    public async Task ThrowingHandler_DoesNotBreakTheRequestAndIsLogged()
    {
        var recording = new RecordingEvents();
        await using var harness = new AtlassianHarness(services: s =>
        {
            s.AddFakeLogging();
            s.AddScoutfloIntegrations().AddEvents<ThrowingEvents>().AddEvents(recording);
        });
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.RevokeGrant(harness.Fake.ConsentingAccountId);

        var error = await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => jira.GetMyselfAsync());

        Assert.Equal("integration_reauthorization_required", error.ErrorCode);
        Assert.Single(recording.Reauthorizations); // the handler after the throwing one still ran
        var logged = Assert.Single(harness.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 2300);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.Contains(integration.Id, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoHandlers_RevokedGrant_StillMarksTheIntegration()
    {
        await using var harness = new AtlassianHarness();
        var (integration, jira) = await harness.InstallAndCallOnceAsync();
        harness.Fake.RevokeGrant(harness.Fake.ConsentingAccountId);

        await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => jira.GetMyselfAsync());

        Assert.Empty(harness.Services.GetServices<IIntegrationEvents>());
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await harness.Store.GetAsync(integration.Id))!.Status);
    }

    private sealed class RecordingEvents : IIntegrationEvents
    {
        public ConcurrentQueue<IntegrationEventContext> ReauthorizationQueue { get; } = new();

        public ConcurrentQueue<IntegrationEventContext> RefreshFailureQueue { get; } = new();

        public IReadOnlyList<IntegrationEventContext> Reauthorizations => [.. ReauthorizationQueue];

        public IReadOnlyList<IntegrationEventContext> RefreshFailures => [.. RefreshFailureQueue];

        public ValueTask OnReauthorizationRequiredAsync(IntegrationEventContext context, CancellationToken cancellationToken)
        {
            ReauthorizationQueue.Enqueue(context);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnRefreshFailedAsync(IntegrationEventContext context, CancellationToken cancellationToken)
        {
            RefreshFailureQueue.Enqueue(context);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingEvents : IIntegrationEvents
    {
        public ValueTask OnReauthorizationRequiredAsync(IntegrationEventContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the notification service is down");
    }
}
