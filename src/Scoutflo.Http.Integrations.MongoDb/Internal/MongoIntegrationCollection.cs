using MongoDB.Bson;
using MongoDB.Driver;

namespace Scoutflo.Http.Integrations.MongoDb.Internal;

/// <summary>
/// The collection the store writes to, from the options' connection string (a client this
/// object owns and disposes) or from the <see cref="IMongoDatabase"/> in the service
/// collection (owned by whoever registered it). Creating a client does not touch the network:
/// the driver connects in the background and on first use.
/// </summary>
internal sealed class MongoIntegrationCollection : IDisposable
{
    private readonly MongoClient? _ownedClient;

    public MongoIntegrationCollection(IServiceProvider services, IOptions<MongoIntegrationStoreOptions> options)
    {
        var settings = options.Value;
        IMongoDatabase database;
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            database = services.GetService<IMongoDatabase>()
                ?? throw new InvalidOperationException(
                    "UseMongoDb() found no IMongoDatabase in the service collection. Register one, or set MongoIntegrationStoreOptions.ConnectionString (UseMongoDb(connectionString, databaseName)).");
        }
        else
        {
            var url = MongoUrl.Create(settings.ConnectionString);
            var clientSettings = MongoClientSettings.FromUrl(url);

            // The driver's 30 s default would hold every request that long during an outage.
            // A value written in the connection string is the operator's choice and stays.
            if (!NamesOption(settings.ConnectionString, "serverSelectionTimeoutMS"))
            {
                clientSettings.ServerSelectionTimeout = settings.ServerSelectionTimeout;
            }

            _ownedClient = new MongoClient(clientSettings);
            database = _ownedClient.GetDatabase(string.IsNullOrWhiteSpace(settings.DatabaseName) ? url.DatabaseName : settings.DatabaseName);
        }

        Collection = database.GetCollection<BsonDocument>(settings.CollectionName);
    }

    public IMongoCollection<BsonDocument> Collection { get; }

    public void Dispose() => _ownedClient?.Dispose();

    private static bool NamesOption(string connectionString, string option)
    {
        var query = connectionString.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 && connectionString[(query + 1)..]
            .Split('&', ';')
            .Any(pair => pair.StartsWith(option + "=", StringComparison.OrdinalIgnoreCase));
    }
}
