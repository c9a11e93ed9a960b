using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers.Slack;

/// <summary>Slack's own paths (Basic client credentials, 200-body errors) through the logs and events.</summary>
public sealed class SlackOperabilityTests
{
    [Fact]
    public async Task TokenRevokedInA200Body_50ConcurrentCalls_RaiseReauthorizationOnce()
    {
        var events = new Recording();
        await using var harness = new SlackHarness(services: s => s.AddScoutfloIntegrations().AddEvents(events));
        var integration = await harness.InstallAsync();
        var slack = harness.Slack(integration.Id);
        await slack.AuthTestAsync();
        harness.Fake.RevokeToken(harness.Fake.CurrentBotToken!);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            try
            {
                await harness.Slack(integration.Id).AuthTestAsync();
            }
            catch (ReauthorizationRequiredException)
            {
                // Callers after the transition fail fast; those before read the error body.
            }
        }));

        var raised = Assert.Single(events.Reauthorizations);
        Assert.Equal(integration.Id, raised.IntegrationId);
        Assert.Equal(IntegrationProviders.Slack, raised.Provider);
    }

    [Fact]
    public async Task Lifecycle_InstallRefreshAndRevocation_LeaksNoSecret()
    {
        await using var harness = new SlackHarness(services: s => s
            .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)));
        var secrets = new HashSet<string>(StringComparer.Ordinal) { harness.Fake.ClientSecret };
        var (_, callback) = await harness.ConsentAsync();
        secrets.Add(callback.Code!);
        secrets.Add(callback.State!);
        var integration = await harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Slack, callback);
        var slack = harness.Slack(integration.Id);

        async Task CollectAsync()
        {
            foreach (var value in (await harness.Store.GetAsync(integration.Id))!.Credentials.Values.Where(v => v.Length >= 8))
            {
                secrets.Add(value);
            }
        }

        await CollectAsync();
        await slack.AuthTestAsync();
        harness.Fake.ExpireBotTokens();
        await slack.AuthTestAsync(); // token_expired in a 200 body: refresh (Basic client credentials), retry
        await CollectAsync();
        harness.Fake.FailNextTokenRequests(1, 503);
        harness.Fake.ExpireBotTokens();
        await slack.AuthTestAsync();
        await CollectAsync();
        harness.Fake.RevokeToken(harness.Fake.CurrentBotToken!);
        await slack.AuthTestAsync();
        var error = await Assert.ThrowsAsync<ReauthorizationRequiredException>(() => harness.Slack(integration.Id).AuthTestAsync());

        var records = harness.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 2002); // refreshed
        Assert.Contains(records, r => r.Id.Id == 2000); // token request retried
        Assert.Contains(records, r => r.Id.Id == 2005); // re-authorisation required
        Assert.True(secrets.Count >= 8, $"only {secrets.Count} secrets were collected");
        foreach (var record in records)
        {
            var text = string.Join("\n", [record.Message, .. record.StructuredState?.Select(kv => kv.Value) ?? [], record.Exception?.ToString() ?? ""]);
            Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(secrets, s => error.ToString().Contains(s, StringComparison.Ordinal));
    }

    private sealed class Recording : IIntegrationEvents
    {
        private readonly ConcurrentQueue<IntegrationEventContext> _reauthorizations = new();

        public IReadOnlyList<IntegrationEventContext> Reauthorizations => [.. _reauthorizations];

        public ValueTask OnReauthorizationRequiredAsync(IntegrationEventContext context, CancellationToken cancellationToken)
        {
            _reauthorizations.Enqueue(context);
            return ValueTask.CompletedTask;
        }
    }
}
