using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Telemetry;

/// <summary>
/// Every log line (all categories, trace level up: message, structured state and logged
/// exception) and every exception thrown over a whole Atlassian lifecycle, checked against
/// every secret that existed during it.
/// </summary>
public sealed class LifecycleSecretLeakTests
{
    [Fact]
    public async Task Lifecycle_InstallCallsRefreshesFailuresAndSiteSelection_LeaksNoSecret()
    {
        await using var harness = new AtlassianHarness(services: s => s
            .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)));
        var secrets = new HashSet<string>(StringComparer.Ordinal) { harness.Fake.ClientSecret };
        var thrown = new List<Exception>();
        var user = harness.Fake.ConsentingAccountId;

        async Task CollectAsync(params string[] integrationIds)
        {
            if (harness.Fake.CurrentRefreshToken(user) is { } refresh)
            {
                secrets.Add(refresh);
            }

            foreach (var id in integrationIds)
            {
                var record = await harness.Store.GetAsync(id);
                foreach (var value in record!.Credentials.Values)
                {
                    secrets.Add(value);
                }
            }

            foreach (var request in harness.Fake.ApiRequests)
            {
                if (request.Headers.TryGetValue("Authorization", out var authorization))
                {
                    secrets.Add(authorization);
                    secrets.Add(authorization["Bearer ".Length..]);
                }
            }
        }

        async Task<T> ExpectAsync<T>(Func<Task> call) where T : Exception
        {
            var error = await Assert.ThrowsAsync<T>(call);
            thrown.Add(error);
            return error;
        }

        // Install: consent, callback, store.
        var callback = await harness.ConsentAsync();
        secrets.Add(callback.Code!);
        secrets.Add(callback.State!);
        var integration = await harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Jira, callback);
        await CollectAsync(integration.Id);

        // State rejects: replayed, tampered, expired, another provider's.
        await ExpectAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));
        await ExpectAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira,
            new OAuthCallback { Code = callback.Code, State = callback.State![..^2] + "xx" }));
        var late = await harness.ConsentAsync();
        secrets.Add(late.Code!);
        secrets.Add(late.State!);
        harness.Time.Advance(TimeSpan.FromMinutes(11));
        await ExpectAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, late));
        var swapped = await harness.ConsentAsync();
        secrets.Add(swapped.Code!);
        secrets.Add(swapped.State!);
        await ExpectAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Confluence, swapped));

        // Calls; expiry by the clock; a refused token; token endpoint 503 then fine; then down.
        var jira = harness.Jira(integration.Id);
        await jira.GetMyselfAsync();
        await jira.GetMyselfAsync();
        await CollectAsync(integration.Id);
        harness.Time.Advance(TimeSpan.FromMinutes(59.5));
        await jira.GetMyselfAsync();
        await CollectAsync(integration.Id);
        harness.Fake.ExpireAccessTokens();
        await jira.GetMyselfAsync();
        await CollectAsync(integration.Id);
        harness.Fake.ExpireAccessTokens();
        harness.Fake.FailNextTokenRequests(1, 503);
        await jira.GetMyselfAsync();
        await CollectAsync(integration.Id);
        harness.Fake.ExpireAccessTokens();
        harness.Fake.FailNextTokenRequests(3, 500);
        await ExpectAsync<OAuthTokenRequestException>(() => jira.GetMyselfAsync());
        await jira.GetMyselfAsync();
        await CollectAsync(integration.Id);

        // invalid_grant: marked for re-authorisation, then failing fast.
        harness.Fake.RevokeGrant(user);
        harness.Fake.ExpireAccessTokens();
        await ExpectAsync<ReauthorizationRequiredException>(() => jira.GetMyselfAsync());
        await ExpectAsync<ReauthorizationRequiredException>(() => harness.Jira(integration.Id).GetMyselfAsync());

        // Reinstall with two sites: site selection, a wrong choice, the right one.
        harness.Fake.SetSites(
            harness.Fake.Sites[0],
            new AtlassianFakeSite("7a1c3a5e-0000-4000-8000-000000000002", "scoutflo-other", new Uri("https://scoutflo-other.atlassian.net")));
        var again = await harness.ConsentAsync();
        secrets.Add(again.Code!);
        secrets.Add(again.State!);
        var selection = await ExpectAsync<AtlassianSiteSelectionRequiredException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, again));
        secrets.Add(selection.SelectionHandle);
        await ExpectAsync<IntegrationException>(() => harness.Install.CompleteSiteSelectionAsync(selection.SelectionHandle, "no-such-site"));
        var chosen = await harness.Install.CompleteSiteSelectionAsync(selection.SelectionHandle, harness.Fake.Sites[0].Id);
        var reinstalled = await harness.Install.SaveAsync(chosen);
        await harness.Jira(reinstalled.Id).GetMyselfAsync();
        await CollectAsync(integration.Id, reinstalled.Id);

        var records = harness.Services.GetFakeLogCollector().GetSnapshot();

        // The lifecycle did log what it should: otherwise the absence of secrets proves little.
        var ids = records.Select(r => r.Id.Id).ToHashSet();
        foreach (var expected in new[] { 1001, 1101, 1102, 2000, 2001, 2002, 2003, 2005, 2006, 2007, 2100, 2101 })
        {
            Assert.Contains(expected, ids);
        }

        Assert.True(secrets.Count > 20, $"only {secrets.Count} secrets were collected");
        Assert.All(secrets, s => Assert.True(s.Length >= 8, "a needle this short would match by chance"));
        foreach (var record in records)
        {
            var text = string.Join("\n", [
                record.Message,
                .. record.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? [],
                record.Exception?.ToString() ?? string.Empty]);
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal),
                    $"A secret leaked into the log ({record.Category}, event {record.Id}): {text.Replace(secret, "<<SECRET>>", StringComparison.Ordinal)}");
            }
        }

        Assert.Equal(9, thrown.Count);
        foreach (var error in thrown)
        {
            var text = error.ToString();
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret leaked into a {error.GetType().Name}: {error.Message}");
            }
        }
    }
}
