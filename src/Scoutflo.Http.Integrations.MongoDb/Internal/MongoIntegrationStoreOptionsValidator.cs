using MongoDB.Driver;

namespace Scoutflo.Http.Integrations.MongoDb.Internal;

/// <summary>The attribute rules of <see cref="MongoIntegrationStoreOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class MongoIntegrationStoreOptionsAttributeValidator : IValidateOptions<MongoIntegrationStoreOptions>;

/// <summary>The rules between properties: a parseable connection string, and a database to use with it.</summary>
internal sealed class MongoIntegrationStoreOptionsValidator(IServiceProviderIsService registrations) : IValidateOptions<MongoIntegrationStoreOptions>
{
    // Messages name the configuration keys an operator sets, not the C# properties.
    private const string ConnectionStringKey = "MongoDb:ConnectionString";
    private const string DatabaseNameKey = "MongoDb:DatabaseName";

    public ValidateOptionsResult Validate(string? name, MongoIntegrationStoreOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (!string.IsNullOrWhiteSpace(options.DatabaseName))
            {
                builder.AddError($"{DatabaseNameKey} is only used with {ConnectionStringKey}; without one, the IMongoDatabase registered in the service collection is used.");
            }
            else if (!registrations.IsService(typeof(IMongoDatabase)))
            {
                // Otherwise the first request (and every health check) would fail instead of the start.
                builder.AddError($"{ConnectionStringKey} is missing or empty, and no IMongoDatabase is registered: UseMongoDb needs one or the other.");
            }

            return builder.Build();
        }

        MongoUrl url;
        try
        {
            url = MongoUrl.Create(options.ConnectionString);
        }
        catch (MongoConfigurationException)
        {
            // The message would echo the string, which may hold a password.
            builder.AddError($"{ConnectionStringKey} is not a valid MongoDB connection string.");
            return builder.Build();
        }

        if (string.IsNullOrWhiteSpace(options.DatabaseName) && string.IsNullOrEmpty(url.DatabaseName))
        {
            builder.AddError($"{DatabaseNameKey} is required when {ConnectionStringKey} names no database.");
        }

        return builder.Build();
    }
}
