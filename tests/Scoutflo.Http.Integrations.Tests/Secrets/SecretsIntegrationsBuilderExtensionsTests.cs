using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Secrets.Internal;
using Scoutflo.Http.Integrations.Storage.InMemory;

namespace Scoutflo.Http.Integrations.Tests.Secrets;

public sealed class SecretsIntegrationsBuilderExtensionsTests
{
    internal static readonly string Key1 = Convert.ToBase64String(CredentialCipherTests.KeyBytes(1));
    internal static readonly string Key2 = Convert.ToBase64String(CredentialCipherTests.KeyBytes(2));

    internal static void OneKey(CredentialEncryptionOptions o)
    {
        o.CurrentKeyId = "k1";
        o.Keys["k1"] = Key1;
    }

    [Fact]
    public void UseCredentialEncryption_InMemoryDefaults_WrapsStoreCacheAndOneTimeStoreOnce()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseCredentialEncryption(OneKey).UseCredentialEncryption();
        using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<EncryptingIntegrationStore>(provider.GetRequiredService<IIntegrationStore>());
        Assert.IsType<InMemoryIntegrationStore>(store.Inner);
        Assert.IsType<EncryptingTokenCache>(provider.GetRequiredService<ITokenCache>());
        Assert.IsType<EncryptingOneTimeStore>(provider.GetRequiredService<IOneTimeStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IIntegrationStore));
    }

    [Fact]
    public async Task UseCredentialEncryption_BeforeUseMongoDbAndUseRedis_StillWrapsThem()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations()
            .UseCredentialEncryption(OneKey)
            .UseMongoDb("mongodb://127.0.0.1:1/?directConnection=true", "db")
            .UseRedis("127.0.0.1:1,abortConnect=false");
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<EncryptingIntegrationStore>(provider.GetRequiredService<IIntegrationStore>());
        Assert.Equal("MongoIntegrationStore", store.Inner.GetType().Name);
        Assert.IsType<EncryptingTokenCache>(provider.GetRequiredService<ITokenCache>());
        Assert.IsType<EncryptingOneTimeStore>(provider.GetRequiredService<IOneTimeStore>());
        Assert.Equal("RedisDistributedLock", provider.GetRequiredService<IDistributedLock>().GetType().Name);
    }

    [Fact]
    public void UseCredentialEncryption_BeforeUseMongoDbAlone_WrapsTheMongoStore()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations()
            .UseCredentialEncryption(OneKey)
            .UseMongoDb("mongodb://127.0.0.1:1/?directConnection=true", "db");
        using var provider = services.BuildServiceProvider();

        Assert.Equal("MongoIntegrationStore", Assert.IsType<EncryptingIntegrationStore>(provider.GetRequiredService<IIntegrationStore>()).Inner.GetType().Name);
        Assert.Single(services, d => d.ServiceType == typeof(IIntegrationStore));
    }

    [Fact]
    public async Task UseCredentialEncryption_AfterUseMongoDbAndUseRedis_WrapsThem()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations()
            .UseMongoDb("mongodb://127.0.0.1:1/?directConnection=true", "db")
            .UseRedis("127.0.0.1:1,abortConnect=false")
            .UseCredentialEncryption(OneKey);
        await using var provider = services.BuildServiceProvider();

        Assert.Equal("MongoIntegrationStore", Assert.IsType<EncryptingIntegrationStore>(provider.GetRequiredService<IIntegrationStore>()).Inner.GetType().Name);
        Assert.IsType<EncryptingTokenCache>(provider.GetRequiredService<ITokenCache>());
    }

    [Fact]
    public void AddScoutfloIntegrations_WithoutEncryption_LeavesStorageUnwrapped()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseMongoDb("mongodb://127.0.0.1:1/?directConnection=true", "db");
        using var provider = services.BuildServiceProvider();

        Assert.Equal("MongoIntegrationStore", provider.GetRequiredService<IIntegrationStore>().GetType().Name);
        Assert.IsType<InMemoryTokenCache>(provider.GetRequiredService<ITokenCache>());
    }

    [Theory]
    [InlineData(null, "CurrentKeyId is required")]
    [InlineData("k9", "'k9' is not one of CredentialEncryptionOptions.Keys")]
    public void Options_CurrentKeyMissing_FailsAtStart(string? currentKeyId, string expected)
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseCredentialEncryption(o =>
        {
            o.CurrentKeyId = currentKeyId;
            o.Keys["k1"] = Key1;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CredentialEncryptionOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_KeyOfWrongLength_FailsAtStartWithoutTheKey()
    {
        var shortKey = Convert.ToBase64String(new byte[16]);
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseCredentialEncryption(o =>
        {
            o.CurrentKeyId = "k1";
            o.Keys["k1"] = shortKey;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CredentialEncryptionOptions>>().Value);
        Assert.Contains("The key 'k1' in CredentialEncryptionOptions.Keys is not 32 bytes in base64.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRingProvider_OfTheApplication_IsUsedAndNeedsNoKeysInOptions()
    {
        var ring = CredentialCipherTests.Ring("kms-1", "kms-1");
        var services = new ServiceCollection();
        services.AddSingleton<ICredentialKeyRingProvider>(new FixedKeyRing(ring));
        services.AddScoutfloIntegrations().UseCredentialEncryption();
        await using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<CredentialEncryptionOptions>>().Value;

        var store = (EncryptingIntegrationStore)provider.GetRequiredService<IIntegrationStore>();
        var inserted = await store.InsertAsync(new Integration { Provider = "custom", AccountId = "a", AuthType = "api_key", Credentials = new Dictionary<string, string> { ["api_key"] = "k" } });

        Assert.StartsWith("scoutflo-enc:v1:kms-1:", (await store.Inner.GetAsync(inserted.Id))!.Credentials["api_key"], StringComparison.Ordinal);
    }

    [Fact]
    public void UseCredentialEncryption_RegistersTheMigrationAndItsHostedService()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseCredentialEncryption(OneKey);
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<IntegrationCredentialMigration>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is CredentialReencryptionService);
    }

    internal sealed class FixedKeyRing(CredentialKeyRing ring) : ICredentialKeyRingProvider
    {
        public CredentialKeyRing Ring { get; set; } = ring;

        public ValueTask<CredentialKeyRing> GetKeyRingAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Ring);
    }
}
