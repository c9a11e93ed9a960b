using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.MongoDb.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Replaces the in-memory integration store with MongoDB, shared by every process of the
/// consuming service (and by the TypeScript SDK), in the collection and document shape the SDK uses.
/// </summary>
public static class MongoDbIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="UseMongoDb(IIntegrationsBuilder, IConfiguration)"/> expects: <c>MongoDb</c>.</summary>
    public const string MongoDbConfigurationSectionName = "MongoDb";

    /// <summary>
    /// Stores integration records in MongoDB instead of memory. Without a connection string in
    /// <see cref="MongoIntegrationStoreOptions"/>, the <c>IMongoDatabase</c> registered in the
    /// service collection is used. Nothing connects until the first read or write; the
    /// <c>account_id</c>+<c>provider</c> index is created then, once. With the library's health
    /// checks (<c>AddScoutfloIntegrationsChecks</c>), the store check reads the collection.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseMongoDb(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        OptionsRegistration.AddValidated<MongoIntegrationStoreOptions, MongoIntegrationStoreOptionsAttributeValidator, MongoIntegrationStoreOptionsValidator>(services);
        services.TryAddSingleton<MongoIntegrationCollection>();
        services.TryAddSingleton(sp => new MongoIntegrationStore(
            sp.GetRequiredService<MongoIntegrationCollection>().Collection,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MongoIntegrationStore>>(),
            sp.GetRequiredService<IOptions<MongoIntegrationStoreOptions>>().Value.OperationTimeout));
        services.RemoveAll<IIntegrationStore>();
        services.AddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<MongoIntegrationStore>());

        // Encryption at rest turned on before this call wraps the new store too.
        builder.ApplyCredentialEncryption();

        // Used only when the application adds the library's health checks; the store is
        // resolved when the check runs, so a store that cannot be built reports unhealthy.
        services.TryAddKeyedSingleton<IHealthCheck>(ScoutfloIntegrationsHealthChecksBuilderExtensions.StoreCheckName,
            static (sp, _) => new MongoHealthCheck(sp.GetRequiredService<MongoIntegrationStore>));
        return builder;
    }

    /// <summary>Stores integration records in a MongoDB database reached with a connection string.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="connectionString">The MongoDB connection string; never logged.</param>
    /// <param name="databaseName">The database holding the <c>integrations</c> collection.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseMongoDb(this IIntegrationsBuilder builder, string connectionString, string databaseName)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(databaseName);
        return builder.UseMongoDb(o =>
        {
            o.ConnectionString = connectionString;
            o.DatabaseName = databaseName;
        });
    }

    /// <summary>Stores integration records in MongoDB, configured in code.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="MongoIntegrationStoreOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseMongoDb(this IIntegrationsBuilder builder, Action<MongoIntegrationStoreOptions> configure) =>
        OptionsRegistration.Configure(builder, configure, UseMongoDb);

    /// <summary>Stores integration records in MongoDB, bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>MongoDb</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseMongoDb(this IIntegrationsBuilder builder, IConfiguration configuration) =>
        OptionsRegistration.Bind<MongoIntegrationStoreOptions>(builder, configuration, MongoDbConfigurationSectionName, UseMongoDb);
}
