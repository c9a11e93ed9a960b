using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// Where <c>UseMongoDb</c> keeps integration records. Bound from the <c>MongoDb</c>
/// configuration section by <c>UseMongoDb(IConfiguration)</c>. Without a
/// <see cref="ConnectionString"/>, the <c>IMongoDatabase</c> registered in the service
/// collection is used.
/// </summary>
public sealed class MongoIntegrationStoreOptions
{
    /// <summary>The default of <see cref="ServerSelectionTimeout"/>: 3 seconds.</summary>
    internal static readonly TimeSpan DefaultServerSelectionTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The default of <see cref="OperationTimeout"/>: 5 seconds.</summary>
    internal static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The MongoDB connection string (<c>mongodb://...</c> or <c>mongodb+srv://...</c>). Default
    /// <see langword="null"/>: use the <c>IMongoDatabase</c> registered in the service collection.
    /// Never logged (it may hold a password).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The database holding the collection, used with <see cref="ConnectionString"/>. Default
    /// <see langword="null"/>: the database named in the connection string's path.
    /// </summary>
    public string? DatabaseName { get; set; }

    /// <summary>The collection of integration records. Default <c>integrations</c>, the name the TypeScript SDK uses.</summary>
    [Required]
    public string CollectionName { get; set; } = "integrations";

    /// <summary>
    /// How long the driver looks for a usable server before an operation fails, on the client
    /// the library creates from <see cref="ConnectionString"/> (a <c>serverSelectionTimeoutMS</c>
    /// in the connection string wins). Default 3 seconds, rather than the driver's 30. A client
    /// the application registered keeps its own settings; <see cref="OperationTimeout"/> bounds it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ServerSelectionTimeout { get; set; } = DefaultServerSelectionTimeout;

    /// <summary>
    /// The most one store operation (a read, an insert, a conditional update with its re-read)
    /// may take, whatever client runs it; after it the operation is cancelled and fails with
    /// <c>integration_store_unavailable</c>. Default 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan OperationTimeout { get; set; } = DefaultOperationTimeout;
}
