using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scoutflo.Http.Integrations.Secrets.Internal;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Secrets;

public sealed class CredentialReencryptionServiceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private static Integration Plain(string account) => new()
    {
        Provider = IntegrationProviders.Custom,
        AccountId = account,
        AuthType = IntegrationAuthTypes.ApiKey,
        Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.ApiKey] = "key-" + account },
    };

    private static (ServiceProvider Provider, TestClock Time, CredentialReencryptionService Service, IIntegrationStore Raw) Build(bool background)
    {
        var time = new TestClock();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddScoutfloIntegrations().UseCredentialEncryption(o =>
        {
            o.CurrentKeyId = "k2";
            o.Keys["k1"] = SecretsIntegrationsBuilderExtensionsTests.Key1;
            o.Keys["k2"] = SecretsIntegrationsBuilderExtensionsTests.Key2;
            o.BackgroundReencryption = background;
            o.ReencryptionInterval = Interval;
        });
        var provider = services.BuildServiceProvider();
        var service = Assert.Single(provider.GetServices<IHostedService>().OfType<CredentialReencryptionService>());
        return (provider, time, service, ((EncryptingIntegrationStore)provider.GetRequiredService<IIntegrationStore>()).Inner);
    }

    [Fact]
    public async Task HostedService_BackgroundOn_EncryptsAndReencryptsAtStartThenEachInterval()
    {
        var (provider, time, service, raw) = Build(background: true);
        await using var _ = provider;
        var plain = await raw.InsertAsync(Plain("a"));
        var underOldKey = await raw.InsertAsync(Plain("b") with
        {
            Id = "65f1a2b3c4d5e6f708192a3b",
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.ApiKey] = CredentialCipher.Encrypt(new CredentialKeyRing("k1", [KeyValuePair.Create("k1", Convert.FromBase64String(SecretsIntegrationsBuilderExtensionsTests.Key1))]), "key-b", CredentialCipher.CredentialContext("65f1a2b3c4d5e6f708192a3b", IntegrationCredentialKeys.ApiKey)),
            },
        });

        await service.StartAsync(CancellationToken.None);
        await Signal.WaitAsync(time.TimersCreated(1, Interval), "the delay after the first pass");

        Assert.Equal("k2", CredentialCipher.KeyIdOf((await raw.GetAsync(plain.Id))!.Credentials[IntegrationCredentialKeys.ApiKey]));
        Assert.Equal("k2", CredentialCipher.KeyIdOf((await raw.GetAsync(underOldKey.Id))!.Credentials[IntegrationCredentialKeys.ApiKey]));
        Assert.Equal("key-b", (await provider.GetRequiredService<IIntegrationStore>().GetAsync(underOldKey.Id))!.GetCredential(IntegrationCredentialKeys.ApiKey));

        var later = await raw.InsertAsync(Plain("c"));
        time.Advance(Interval);
        await Signal.WaitAsync(time.TimersCreated(2, Interval), "the delay after the second pass");
        await service.StopAsync(CancellationToken.None);

        Assert.Equal("k2", CredentialCipher.KeyIdOf((await raw.GetAsync(later.Id))!.Credentials[IntegrationCredentialKeys.ApiKey]));
    }

    [Fact]
    public async Task HostedService_BackgroundOff_WritesNothing()
    {
        var (provider, time, service, raw) = Build(background: false);
        await using var _ = provider;
        var plain = await raw.InsertAsync(Plain("a"));

        await service.StartAsync(CancellationToken.None);
        await Signal.WaitAsync(time.TimersCreated(1, Interval), "the first delay");
        await service.StopAsync(CancellationToken.None);

        var stored = (await raw.GetAsync(plain.Id))!;
        Assert.Equal("key-a", stored.Credentials[IntegrationCredentialKeys.ApiKey]);
        Assert.Equal(1, stored.Version);
    }
}
