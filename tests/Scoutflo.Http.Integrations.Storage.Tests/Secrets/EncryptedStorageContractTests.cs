using Microsoft.Extensions.Logging.Abstractions;
using Scoutflo.Http.Integrations.MongoDb.Internal;
using Scoutflo.Http.Integrations.Redis.Internal;
using Scoutflo.Http.Integrations.Secrets.Internal;
using Scoutflo.Http.Integrations.Storage.Tests.Contracts;

namespace Scoutflo.Http.Integrations.Storage.Tests.Secrets;

// With encryption on, each storage part still keeps its whole contract: the decorators are
// invisible to every caller.

public sealed class EncryptedMongoIntegrationStoreContractTests(MongoFixture mongo) : IntegrationStoreContractTests, IClassFixture<MongoFixture>
{
    protected override IIntegrationStore CreateStore() =>
        new EncryptingIntegrationStore(new MongoIntegrationStore(mongo.NewCollection(), Time, NullLogger<MongoIntegrationStore>.Instance), new SecretsTestKeys().Protector(), Time);
}

public sealed class EncryptedRedisTokenCacheContractTests(OneRedisServer redis) : TokenCacheContractTests, IClassFixture<OneRedisServer>
{
    protected override ITokenCache CreateCache() =>
        new EncryptingTokenCache(new RedisTokenCache(redis.Connection, Time, NullLogger<RedisTokenCache>.Instance), new SecretsTestKeys().Protector());

    protected override string NewKey() => redis.Key();
}

public sealed class EncryptedRedisOneTimeStoreContractTests(OneRedisServer redis) : OneTimeStoreContractTests, IClassFixture<OneRedisServer>
{
    protected override IOneTimeStore CreateStore() =>
        new EncryptingOneTimeStore(new RedisOneTimeStore(redis.Connection), new SecretsTestKeys().Protector());

    protected override string NewKey(string suffix) => redis.Key(suffix);
}
