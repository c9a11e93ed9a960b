using Microsoft.Extensions.Logging.Abstractions;
using Scoutflo.Http.Integrations.MongoDb.Internal;
using Scoutflo.Http.Integrations.Storage.Tests.Contracts;

namespace Scoutflo.Http.Integrations.Storage.Tests.MongoDb;

/// <summary>The store contract against the MongoDB-wire server, each test in a collection of its own.</summary>
public sealed class MongoIntegrationStoreContractTests(MongoFixture mongo) : IntegrationStoreContractTests, IClassFixture<MongoFixture>
{
    protected override IIntegrationStore CreateStore() =>
        new MongoIntegrationStore(mongo.NewCollection(), Time, NullLogger<MongoIntegrationStore>.Instance);
}
