using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Redis.Internal;
using Scoutflo.Http.Integrations.Secrets.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.Secrets;

/// <summary>Encrypted token-cache and one-time values against a real Redis server.</summary>
public sealed class EncryptedRedisTests(OneRedisServer redis) : IClassFixture<OneRedisServer>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly SecretsTestKeys _keys = new();
    private readonly FakeLogger<CredentialProtector> _logger = new();

    private EncryptingTokenCache Cache() =>
        new(new RedisTokenCache(redis.Connection, _time, NullLogger<RedisTokenCache>.Instance), _keys.Protector(_logger));

    private EncryptingOneTimeStore OneTime() => new(new RedisOneTimeStore(redis.Connection), _keys.Protector(_logger));

    [Fact]
    public async Task TokenCache_Set_RawRedisValueIsAnEnvelopeAndReadsBackPlainWithItsTtl()
    {
        var cache = Cache();
        var key = redis.Key();

        await cache.SetAsync(key, "xoxb-SECRET-token", TimeSpan.FromMinutes(10));

        var raw = (string?)await redis.Check.StringGetAsync(key);
        Assert.StartsWith("scoutflo-enc:v1:k1:", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", raw, StringComparison.Ordinal);
        Assert.InRange((await redis.Check.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        var read = await cache.GetAsync(key);
        Assert.Equal("xoxb-SECRET-token", read!.Value.Token);
    }

    [Fact]
    public async Task TokenCache_ValuePastedUnderAnotherKey_ReadsAsAMissAndIsLoggedWithoutIt()
    {
        var cache = Cache();
        var victim = redis.Key();
        var attacker = redis.Key();
        await cache.SetAsync(attacker, "attacker-token", TimeSpan.FromMinutes(10));
        var pasted = (string)(await redis.Check.StringGetAsync(attacker))!;
        await redis.Check.StringSetAsync(victim, pasted, TimeSpan.FromMinutes(10));

        Assert.Null(await cache.GetAsync(victim));
        Assert.False(await cache.RemoveIfAsync(victim, "attacker-token"));

        var logged = _logger.Collector.GetSnapshot().Where(r => r.Id.Id == 2401).ToList();
        Assert.Equal(2, logged.Count); // the read, and the compare-and-delete's read
        Assert.All(logged, r => Assert.Contains(IntegrationErrorCodes.CredentialsDecryptionFailed, r.Message, StringComparison.Ordinal));
        Assert.All(logged, r => Assert.DoesNotContain(pasted, r.Message, StringComparison.Ordinal));
        Assert.True(await redis.Check.KeyExistsAsync(victim));
    }

    [Fact]
    public async Task TokenCache_ValueUnderARemovedKey_ReadsAsAMiss()
    {
        var cache = Cache();
        var key = redis.Key();
        await cache.SetAsync(key, "t", TimeSpan.FromMinutes(10));

        _keys.Use("k2");

        Assert.Null(await cache.GetAsync(key));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 2401 && r.Message.Contains(IntegrationErrorCodes.CredentialsKeyUnknown, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenCache_PlainValueFromBeforeEncryption_IsReadAndCompareDeleted()
    {
        var cache = Cache();
        var key = redis.Key();
        await redis.Check.StringSetAsync(key, "plain-token", TimeSpan.FromMinutes(10));

        Assert.Equal("plain-token", (await cache.GetAsync(key))!.Value.Token);
        Assert.True(await cache.RemoveIfAsync(key, "plain-token"));
        Assert.False(await redis.Check.KeyExistsAsync(key));
    }

    [Fact]
    public async Task OneTime_RawValueIsAnEnvelopeAndAPastedOneIsRefused()
    {
        var store = OneTime();
        var key = redis.Key("site_selection");
        var other = redis.Key("site_selection");
        Assert.True(await store.TryAddAsync(key, "{\"access_token\":\"at-SECRET\"}", TimeSpan.FromMinutes(5)));

        var raw = (string)(await redis.Check.StringGetAsync(key))!;
        Assert.DoesNotContain("SECRET", raw, StringComparison.Ordinal);
        Assert.Equal("{\"access_token\":\"at-SECRET\"}", await store.PeekAsync(key));

        await redis.Check.StringSetAsync(other, raw, TimeSpan.FromMinutes(5));
        var error = await Assert.ThrowsAsync<IntegrationException>(() => store.TakeAsync(other).AsTask());

        Assert.Equal(IntegrationErrorCodes.CredentialsDecryptionFailed, error.ErrorCode);
        Assert.DoesNotContain(raw, error.Message, StringComparison.Ordinal);
        Assert.Equal("{\"access_token\":\"at-SECRET\"}", await store.TakeAsync(key));
        Assert.Null(await store.TakeAsync(key));
    }
}
