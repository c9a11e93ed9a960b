using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.DependencyInjection;

/// <summary>
/// AddIntegrationAuth swaps IHttpClientFactory's default request loggers (their header and URL
/// state holds credentials) for its own, and leaves the application's own loggers in place.
/// </summary>
public sealed class IntegrationClientLoggingTests
{
    private const string Id = "66ee000000000000000000e3";

    [Fact]
    public async Task AddIntegrationAuth_ConsumerLoggersBeforeAndAfter_BothStillRun()
    {
        var before = new CountingLogger();
        var after = new CountingLogger();
        await using var host = TestHost.Create(services => services.AddHttpClient("partner")
            .AddLogger(_ => before)
            .AddIntegrationAuth(Id)
            .AddLogger(_ => after));
        await host.Connections.CreateConnectionAsync(Records.CustomApiKey() with { Id = Id });
        using var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("partner");

        using var response = await client.GetAsync("items");

        Assert.Equal(1, host.Network.MatchCount);
        Assert.Equal((1, 1), (before.Starts, before.Stops));
        Assert.Equal((1, 1), (after.Starts, after.Stops));
    }

    [Fact]
    public async Task AddIntegrationAuth_DefaultLoggersAtTrace_LogNoCredential()
    {
        await using var host = TestHost.Create(services =>
        {
            services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true).AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
            services.AddHttpClient("partner").AddIntegrationAuth(Id);
        });
        await host.Connections.CreateConnectionAsync(
            Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyQueryParameter] = "key" }) with { Id = Id });
        using var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("partner");

        using var response = await client.GetAsync("items");

        var records = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Equal(1, host.Network.MatchCount);
        Assert.Contains("key=" + Records.ApiKey, host.Network.Single().Uri.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(records, r => r.Category?.StartsWith("System.Net.Http.HttpClient.partner", StringComparison.Ordinal) == true);
        Assert.Contains(records, r => r.Category == "Scoutflo.Http.Integrations.HttpClient");
        Assert.All(records, r =>
        {
            Assert.DoesNotContain(Records.ApiKey, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Records.ApiKey, string.Join(";", r.StructuredState?.Select(kv => kv.Value) ?? []), StringComparison.Ordinal);
        });
    }

    private sealed class CountingLogger : IHttpClientLogger
    {
        public int Starts { get; private set; }

        public int Stops { get; private set; }

        public object? LogRequestStart(HttpRequestMessage request)
        {
            Starts++;
            return null;
        }

        public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) => Stops++;

        public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
        {
        }
    }
}
