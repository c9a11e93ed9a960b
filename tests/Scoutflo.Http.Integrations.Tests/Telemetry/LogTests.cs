using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Telemetry;

/// <summary>Everything the library logs, at every level, over a whole connection lifecycle: no secret, ever.</summary>
public sealed class LogTests
{
    [Fact]
    public async Task Log_CreateResolveSendRefuseDelete_NeverContainsACredential()
    {
        await using var host = TestHost.Create(services =>
            services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true).AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)));
        var basic = await host.Connections.CreateConnectionAsync(Records.CustomBasic());
        var apiKey = await host.Connections.CreateConnectionAsync(Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyQueryParameter] = "key" }));
        var factory = host.Services.GetRequiredService<IIntegrationClientFactory>();
        using var basicClient = factory.CreateClient(basic.Id);
        using var apiKeyClient = factory.CreateClient(apiKey.Id);

        (await basicClient.GetAsync("items")).EnsureSuccessStatusCode();
        (await apiKeyClient.GetAsync("items?x=1")).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<IntegrationHostNotAllowedException>(() => basicClient.GetAsync("https://evil.test/?token=leak"));
        await host.Connections.DeleteConnectionAsync(basic.Id);

        // The library's own categories. (IHttpClientFactory's default trace-level header log
        // carries raw header values in its structured state; integration clients replace it with
        // a header-free logger, which LifecycleSecretLeakTests checks across every category.)
        var records = host.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Category?.StartsWith("Scoutflo.", StringComparison.Ordinal) == true)
            .ToList();
        Assert.Contains(records, r => r.Level == LogLevel.Warning && r.Message.Contains("https://evil.test", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.Contains(basic.Id, StringComparison.Ordinal));
        Assert.All(records, r =>
        {
            var text = r.Message + string.Join(" ", r.StructuredState?.Select(kv => kv.Value) ?? []);
            foreach (var secret in new[] { Records.Password, Records.BasicParameter, Records.ApiKey, "token=leak" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        });
    }
}
