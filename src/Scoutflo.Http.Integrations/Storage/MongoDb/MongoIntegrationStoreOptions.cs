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
}
