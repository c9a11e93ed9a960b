using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace Scoutflo.Http.Integrations.Storage.MongoDb;

/// <summary>The attribute rules of <see cref="MongoIntegrationStoreOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class MongoIntegrationStoreOptionsAttributeValidator : IValidateOptions<MongoIntegrationStoreOptions>;

/// <summary>The rules between properties: a parseable connection string, and a database to use with it.</summary>
internal sealed class MongoIntegrationStoreOptionsValidator : IValidateOptions<MongoIntegrationStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, MongoIntegrationStoreOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (!string.IsNullOrWhiteSpace(options.DatabaseName))
            {
                builder.AddError("is only used with ConnectionString; without one, the IMongoDatabase registered in the service collection is used", nameof(MongoIntegrationStoreOptions.DatabaseName));
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
            builder.AddError("is not a valid MongoDB connection string", nameof(MongoIntegrationStoreOptions.ConnectionString));
            return builder.Build();
        }

        if (string.IsNullOrWhiteSpace(options.DatabaseName) && string.IsNullOrEmpty(url.DatabaseName))
        {
            builder.AddError("is required when the connection string names no database", nameof(MongoIntegrationStoreOptions.DatabaseName));
        }

        return builder.Build();
    }
}
