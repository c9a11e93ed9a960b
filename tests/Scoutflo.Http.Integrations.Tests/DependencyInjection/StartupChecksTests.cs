using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Tests.DependencyInjection;

/// <summary>
/// What a host checks when it starts: missing storage settings, configuration keys in the
/// messages, RedirectUri only for installs, the state signing key. Hosts are built as an app
/// builds them and started for real; nothing here reaches a server.
/// </summary>
public sealed class StartupChecksTests
{
    private const string SigningKey = "c2NvdXRmbG8tdGVzdC1zaWduaW5nLWtleS0zMi1ieXRlcyE=";

    private static IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        configure(builder.Services, builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task UseMongoDb_SectionMissing_FailsTheStartNamingTheConfigurationKey()
    {
        using var host = BuildHost([], (s, c) => s.AddScoutfloIntegrations(c).UseMongoDb(c));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MongoDb:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseRedis_EmptySetting_FailsTheStartNamingTheConfigurationKey()
    {
        using var host = BuildHost(new() { ["Redis:Configuration"] = "", ["ScoutfloIntegrations:StateSigningKey"] = SigningKey },
            (s, c) => s.AddScoutfloIntegrations(c).UseRedis(c));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Redis:Configuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseRedis_NoStateSigningKey_FailsTheStartNamingTheKey()
    {
        using var host = BuildHost(new() { ["Redis:Configuration"] = "127.0.0.1:1,abortConnect=false" },
            (s, c) => s.AddScoutfloIntegrations(c).UseRedis(c));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ScoutfloIntegrations:StateSigningKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneTimeStoreOfTheApplication_NoStateSigningKey_FailsTheStartAsWithRedis()
    {
        // Any one-time store but the in-memory default may be shared by replicas: a third
        // party's adapter gets the same safe answer as UseRedis without marking itself.
        using var host = BuildHost([], (s, c) =>
        {
            s.AddScoutfloIntegrations(c);
            s.AddSingleton<IOneTimeStore, ApplicationOneTimeStore>();
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ScoutfloIntegrations:StateSigningKey", error.Message, StringComparison.Ordinal);
    }

    private sealed class ApplicationOneTimeStore : IOneTimeStore
    {
        public ValueTask<bool> TryAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

        public ValueTask<string?> PeekAsync(string key, CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(null);

        public ValueTask<string?> TakeAsync(string key, CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(null);
    }

    [Fact]
    public async Task InMemory_NoStateSigningKey_WarnsOnceWhenTheHostStarts()
    {
        var logs = new FakeLogCollector();
        using var host = BuildHost([], (s, c) =>
        {
            s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
            s.AddScoutfloIntegrations(c);
        });

        await host.StartAsync();

        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 2102 && r.Level == LogLevel.Warning);
        await host.StopAsync();
    }

    [Fact]
    public async Task InMemory_StateSigningKeySet_StartsWithoutTheWarning()
    {
        var logs = new FakeLogCollector();
        using var host = BuildHost(new() { ["ScoutfloIntegrations:StateSigningKey"] = SigningKey }, (s, c) =>
        {
            s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
            s.AddScoutfloIntegrations(c);
        });

        await host.StartAsync();

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 2102);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddAtlassian_WorkerWithoutRedirectUri_StartsAndRefusesOnlyAnInstallNamingTheKey()
    {
        using var host = BuildHost(new() { ["Atlassian:ClientId"] = "client-1", ["Atlassian:ClientSecret"] = "cs-SECRET-9" },
            (s, c) => s.AddScoutfloIntegrations(c).AddAtlassian(c));

        await host.StartAsync();
        var error = await Assert.ThrowsAsync<IntegrationException>(() => host.Services.GetRequiredService<IntegrationInstallService>()
            .BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = "acct-1" }));

        Assert.Equal(IntegrationErrorCodes.OAuthNotConfigured, error.ErrorCode);
        Assert.Contains("Atlassian:RedirectUri", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cs-SECRET-9", error.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddSlack_WorkerWithoutRedirectUri_StartsAndRefusesOnlyAnInstallNamingTheKey()
    {
        using var host = BuildHost(new() { ["Slack:ClientId"] = "client-1", ["Slack:ClientSecret"] = "cs-SECRET-9" },
            (s, c) => s.AddScoutfloIntegrations(c).AddSlack(c));

        await host.StartAsync();
        var error = await Assert.ThrowsAsync<IntegrationException>(() => host.Services.GetRequiredService<IntegrationInstallService>()
            .BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Slack, AccountId = "acct-1" }));

        Assert.Contains("Slack:RedirectUri", error.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddAtlassianAndAddSlack_NothingConfigured_MessagesNameEverySectionKey()
    {
        using var host = BuildHost(new() { ["Slack:RedirectUri"] = "http://example.test/callback" }, (s, c) => s.AddScoutfloIntegrations(c).AddAtlassian(c).AddSlack(c));

        // Several failing options types come as an AggregateException; its text has every message.
        var all = (await Record.ExceptionAsync(() => host.StartAsync()))?.ToString() ?? string.Empty;

        Assert.Contains("Atlassian:ClientId", all, StringComparison.Ordinal);
        Assert.Contains("Atlassian:ClientSecret", all, StringComparison.Ordinal);
        Assert.Contains("Slack:ClientId", all, StringComparison.Ordinal);
        Assert.Contains("Slack:RedirectUri must be an absolute https URL", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthChecks_StoreThatCannotBeBuilt_ReportUnhealthyWithAReasonInsteadOfThrowing()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddHealthChecks();
        services.AddSingleton<IIntegrationStore>(_ => throw new InvalidOperationException("MongoDb:ConnectionString is missing"));
        services.AddSingleton<ITokenCache>(_ => throw new InvalidOperationException("Redis:Configuration is missing"));
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.All(report.Entries.Values, e =>
        {
            Assert.Equal(HealthStatus.Unhealthy, e.Status);
            Assert.Contains("InvalidOperationException", e.Description, StringComparison.Ordinal);
        });
    }
}
