using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.MongoDb.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.MongoDb.DependencyInjection;

public sealed class MongoDbIntegrationsBuilderExtensionsTests
{
    [Fact]
    public async Task UseMongoDb_InvalidOptions_FailTheHostStartWithoutEchoingSecrets()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddScoutfloIntegrations().UseMongoDb(o =>
        {
            o.ConnectionString = "notmongo://user:s3cret@host";
            o.CollectionName = string.Empty;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("CollectionName", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseMongoDb_DatabaseNameWithoutConnectionString_IsRejected()
    {
        var validator = new MongoIntegrationStoreOptionsValidator(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceProviderIsService>());

        var result = validator.Validate(null, new MongoIntegrationStoreOptions { DatabaseName = "scoutflo" });
        var fromUrl = validator.Validate(null, new MongoIntegrationStoreOptions { ConnectionString = "mongodb://h:27017/scoutflo" });
        var noDatabase = validator.Validate(null, new MongoIntegrationStoreOptions { ConnectionString = "mongodb://h:27017" });

        Assert.True(result.Failed);
        Assert.True(fromUrl.Succeeded);
        Assert.True(noDatabase.Failed);
        Assert.Contains("DatabaseName", noDatabase.FailureMessage, StringComparison.Ordinal);
    }
}
