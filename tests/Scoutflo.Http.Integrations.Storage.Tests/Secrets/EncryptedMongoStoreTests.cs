using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.MongoDb.Internal;
using Scoutflo.Http.Integrations.Secrets.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.Secrets;

/// <summary>
/// Encryption at rest against the MongoDB-wire server: what a raw document holds, what a
/// change to it does, key rotation, and the migration both ways over a few thousand records.
/// </summary>
public sealed class EncryptedMongoStoreTests(MongoFixture mongo) : IClassFixture<MongoFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly SecretsTestKeys _keys = new();

    private sealed record Setup(IMongoCollection<BsonDocument> Collection, MongoIntegrationStore Raw, EncryptingIntegrationStore Store, IntegrationCredentialMigration Migration);

    private Setup Create()
    {
        var collection = mongo.NewCollection();
        var raw = new MongoIntegrationStore(collection, _time, NullLogger<MongoIntegrationStore>.Instance);
        var protector = _keys.Protector();
        var store = new EncryptingIntegrationStore(raw, protector, _time);
        return new Setup(collection, raw, store, new IntegrationCredentialMigration(store, protector, _keys));
    }

    private static Integration Record(string account, string secret) => new()
    {
        Provider = IntegrationProviders.Jira,
        AccountId = account,
        AuthType = IntegrationAuthTypes.OAuth2,
        Credentials = new Dictionary<string, string>
        {
            [IntegrationCredentialKeys.AccessToken] = "at-" + secret,
            [IntegrationCredentialKeys.RefreshToken] = "rt-" + secret,
        },
        Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.CloudId] = "cloud-" + account },
    };

    private static async Task<BsonDocument> RawDocumentAsync(Setup setup, string id) =>
        await setup.Collection.Find(new BsonDocument("_id", ObjectId.Parse(id))).SingleAsync();

    private static async Task SetRawCredentialAsync(Setup setup, string id, string field, string value) =>
        await setup.Collection.UpdateOneAsync(new BsonDocument("_id", ObjectId.Parse(id)), new BsonDocument("$set", new BsonDocument($"credentials.{field}", value)));

    [Fact]
    public async Task InsertThenGet_EncryptionOn_RoundTripsAndTheRawDocumentHoldsNoPlainSecret()
    {
        var setup = Create();

        var inserted = await setup.Store.InsertAsync(Record("acct-1", "SECRET-1"));
        var read = await setup.Store.GetAsync(inserted.Id);

        Assert.Equal("at-SECRET-1", read!.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Equal("rt-SECRET-1", read.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal("at-SECRET-1", inserted.GetCredential(IntegrationCredentialKeys.AccessToken));
        var document = await RawDocumentAsync(setup, inserted.Id);
        Assert.DoesNotContain("SECRET-1", document.ToJson(), StringComparison.Ordinal);
        var credentials = document["credentials"].AsBsonDocument;
        Assert.All(credentials, e => Assert.StartsWith("scoutflo-enc:v1:k1:", e.Value.AsString, StringComparison.Ordinal));

        // The rest of the shared shape is untouched: the TypeScript SDK can still list and route it.
        Assert.Equal("acct-1", document["account_id"].AsString);
        Assert.Equal("cloud-acct-1", document["metadata"]["cloud_id"].AsString);
        Assert.Equal(1, document["version"].AsInt32);
    }

    [Fact]
    public async Task InsertWithUpperCaseId_EncryptionOn_ReadsBackThoughTheServerReturnsTheIdInLowerCase()
    {
        var setup = Create();

        var inserted = await setup.Store.InsertAsync(Record("acct-1", "UPPER") with { Id = "65F1A2B3C4D5E6F708192A3B" });
        var read = await setup.Store.GetAsync("65f1a2b3c4d5e6f708192a3b");

        Assert.Equal("at-UPPER", inserted.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Equal("rt-UPPER", read!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task Update_EncryptionOn_VersionConflictStillRaisedAndUnchangedRecordReadsTheSame()
    {
        var setup = Create();
        var inserted = await setup.Store.InsertAsync(Record("acct-1", "S"));
        var updated = await setup.Store.UpdateAsync(inserted with { Credentials = new Dictionary<string, string>(inserted.Credentials) { [IntegrationCredentialKeys.AccessToken] = "at-new" } }, inserted.Version);

        await Assert.ThrowsAsync<IntegrationConcurrencyException>(() => setup.Store.UpdateAsync(inserted, inserted.Version));

        Assert.Equal("at-new", updated.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Equal("rt-S", (await setup.Store.GetAsync(inserted.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task UpdateEach_EncryptionOn_ReturnsPlainValuesAndTheRawDocumentsHoldNoPlainSecret()
    {
        var setup = Create();
        var first = await setup.Store.InsertAsync(Record("acct-1", "S"));
        var second = await setup.Store.InsertAsync(Record("acct-1", "S") with { Provider = IntegrationProviders.Confluence });

        var stored = await setup.Store.UpdateEachAsync(new[] { first, second }.Select(r => new IntegrationUpdate(r, r with
        {
            Credentials = new Dictionary<string, string>(r.Credentials) { [IntegrationCredentialKeys.RefreshToken] = "rt-ROTATED-2" },
        })).ToList());

        Assert.All(stored, r => Assert.Equal("rt-ROTATED-2", r!.GetCredential(IntegrationCredentialKeys.RefreshToken)));
        foreach (var record in new[] { first, second })
        {
            Assert.Equal("rt-ROTATED-2", (await setup.Store.GetAsync(record.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
            var document = await RawDocumentAsync(setup, record.Id);
            Assert.DoesNotContain("ROTATED", document.ToJson(), StringComparison.Ordinal);
            Assert.DoesNotContain("at-S", document.ToJson(), StringComparison.Ordinal);
            Assert.All(document["credentials"].AsBsonDocument, e => Assert.StartsWith("scoutflo-enc:v1:k1:", e.Value.AsString, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TamperedRawDocument_IsRefusedWithItsCode()
    {
        var setup = Create();
        var inserted = await setup.Store.InsertAsync(Record("acct-1", "S"));
        var envelope = (await RawDocumentAsync(setup, inserted.Id))["credentials"]["access_token"].AsString;
        var tampered = envelope[..^3] + (envelope[^3] == 'x' ? 'y' : 'x') + envelope[^2..];
        await SetRawCredentialAsync(setup, inserted.Id, "access_token", tampered);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => setup.Store.GetAsync(inserted.Id));

        Assert.Equal(IntegrationErrorCodes.CredentialsDecryptionFailed, error.ErrorCode);
        Assert.DoesNotContain(tampered, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CiphertextPastedIntoAnotherFieldOrRecord_IsRefused()
    {
        var setup = Create();
        var victim = await setup.Store.InsertAsync(Record("acct-victim", "V"));
        var attacker = await setup.Store.InsertAsync(Record("acct-attacker", "A"));
        var attackerDocument = await RawDocumentAsync(setup, attacker.Id);
        var victimDocument = await RawDocumentAsync(setup, victim.Id);

        // Another record's access token into the victim's access_token.
        await SetRawCredentialAsync(setup, victim.Id, "access_token", attackerDocument["credentials"]["access_token"].AsString);
        var otherRecord = await Assert.ThrowsAsync<IntegrationException>(() => setup.Store.GetAsync(victim.Id));

        // The same record's refresh token into its own access_token.
        await SetRawCredentialAsync(setup, victim.Id, "access_token", victimDocument["credentials"]["refresh_token"].AsString);
        var otherField = await Assert.ThrowsAsync<IntegrationException>(() => setup.Store.GetAsync(victim.Id));

        Assert.Equal(IntegrationErrorCodes.CredentialsDecryptionFailed, otherRecord.ErrorCode);
        Assert.Equal(IntegrationErrorCodes.CredentialsDecryptionFailed, otherField.ErrorCode);

        // Put back, it reads again: the refusal was about the place, not the record.
        await SetRawCredentialAsync(setup, victim.Id, "access_token", victimDocument["credentials"]["access_token"].AsString);
        Assert.Equal("at-V", (await setup.Store.GetAsync(victim.Id))!.GetCredential(IntegrationCredentialKeys.AccessToken));
    }

    [Fact]
    public async Task Rotation_NewKeyEncryptsOldStillDecryptsPassMovesEveryRecordAndOldKeyCanGo()
    {
        var setup = Create();
        var old = await setup.Store.InsertAsync(Record("acct-1", "OLD"));
        _keys.Use("k2", "k1");
        var fresh = await setup.Store.InsertAsync(Record("acct-2", "NEW"));

        Assert.Equal("at-OLD", (await setup.Store.GetAsync(old.Id))!.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.StartsWith("scoutflo-enc:v1:k2:", (await RawDocumentAsync(setup, fresh.Id))["credentials"]["access_token"].AsString, StringComparison.Ordinal);
        Assert.StartsWith("scoutflo-enc:v1:k1:", (await RawDocumentAsync(setup, old.Id))["credentials"]["access_token"].AsString, StringComparison.Ordinal);

        var pass = await setup.Migration.EncryptAllAsync();

        Assert.Equal(new CredentialMigrationResult(2, 1, 1, 0, fresh.Id), pass);
        Assert.StartsWith("scoutflo-enc:v1:k2:", (await RawDocumentAsync(setup, old.Id))["credentials"]["refresh_token"].AsString, StringComparison.Ordinal);

        _keys.Use("k2");
        Assert.Equal("rt-OLD", (await setup.Store.GetAsync(old.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task RecordUnderAnUnknownKey_IsRefusedCountedAsFailedByThePassAndLeftAsItWas()
    {
        var setup = Create();
        var lost = await setup.Store.InsertAsync(Record("acct-1", "LOST"));
        var before = (await RawDocumentAsync(setup, lost.Id))["credentials"].ToJson();
        _keys.Use("k2");

        var error = await Assert.ThrowsAsync<IntegrationException>(() => setup.Store.GetAsync(lost.Id));
        var pass = await setup.Migration.EncryptAllAsync();

        Assert.Equal(IntegrationErrorCodes.CredentialsKeyUnknown, error.ErrorCode);
        Assert.Equal(1, pass.Failed);
        Assert.Equal(before, (await RawDocumentAsync(setup, lost.Id))["credentials"].ToJson());
    }

    [Fact]
    public async Task Migration_ThreeThousandPlainRecords_EncryptsAllIsIdempotentAndDecryptsBack()
    {
        const int count = 3000;
        var setup = Create();
        await setup.Collection.InsertManyAsync(Enumerable.Range(0, count).Select(i => new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() },
            { "provider", "slack" },
            { "account_id", $"acct-{i % 50}" },
            { "auth_type", "oauth2" },
            { "credentials", new BsonDocument { { "access_token", $"xoxb-PLAIN-{i}" }, { "refresh_token", $"xoxe-PLAIN-{i}" } } },
            { "metadata", new BsonDocument("team_id", $"T{i}") },
            { "scopes", new BsonArray { "chat:write" } },
            { "status", "active" },
            { "version", 1 },
        }));

        var progress = new List<CredentialMigrationResult>();
        var encrypted = await setup.Migration.EncryptAllAsync(progress: new SyncProgress(progress));
        var again = await setup.Migration.EncryptAllAsync();

        Assert.Equal(count, encrypted.Scanned);
        Assert.Equal(count, encrypted.Rewritten);
        Assert.Equal(0, encrypted.Failed);
        Assert.Equal(count / 500, progress.Count);
        Assert.Equal(new CredentialMigrationResult(count, 0, count, 0, encrypted.LastId), again);
        Assert.Equal(0, await setup.Collection.CountDocumentsAsync(new BsonDocument("credentials.access_token", new BsonDocument("$regex", "^xoxb-"))));
        Assert.Equal(0, await setup.Collection.CountDocumentsAsync(new BsonDocument("credentials.refresh_token", new BsonDocument("$regex", "^xoxe-"))));
        var sample = (await setup.Store.ListAsync(1, afterId: progress[2].LastId))[0];
        Assert.StartsWith("xoxb-PLAIN-", sample.GetCredential(IntegrationCredentialKeys.AccessToken), StringComparison.Ordinal);
        Assert.Equal(2, sample.Version);

        var decrypted = await setup.Migration.DecryptAllAsync();

        Assert.Equal(new CredentialMigrationResult(count, count, 0, 0, encrypted.LastId), decrypted);
        Assert.Equal(count, await setup.Collection.CountDocumentsAsync(new BsonDocument("credentials.access_token", new BsonDocument("$regex", "^xoxb-PLAIN-"))));
        Assert.Equal(0, await setup.Collection.CountDocumentsAsync(new BsonDocument("credentials.refresh_token", new BsonDocument("$regex", "^scoutflo-enc:"))));
    }

    [Fact]
    public async Task Migration_MixedCollection_ReadsBothKindsAndResumesAfterAnInterruption()
    {
        var setup = Create();
        _keys.Options.MigrationPageSize = 10;
        var plainIds = new List<string>();
        var encryptedIds = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            if (i % 3 == 0)
            {
                encryptedIds.Add((await setup.Store.InsertAsync(Record($"acct-{i}", $"E{i}"))).Id);
            }
            else
            {
                plainIds.Add((await setup.Raw.InsertAsync(Record($"acct-{i}", $"P{i}"))).Id);
            }
        }

        // Mid-migration, every record reads in plain text through the store.
        foreach (var id in plainIds.Concat(encryptedIds))
        {
            Assert.StartsWith("at-", (await setup.Store.GetAsync(id))!.GetCredential(IntegrationCredentialKeys.AccessToken), StringComparison.Ordinal);
        }

        using var stop = new CancellationTokenSource();
        CredentialMigrationResult? seen = null;
        var interrupted = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => setup.Migration.EncryptAllAsync(progress: new SyncProgress(p =>
        {
            seen = p;
            stop.Cancel();
        }), cancellationToken: stop.Token));
        Assert.NotNull(interrupted);
        Assert.Equal(10, seen!.Scanned);

        var resumed = await setup.Migration.EncryptAllAsync(afterId: seen.LastId);

        Assert.Equal(30, seen.Scanned + resumed.Scanned);
        Assert.Equal(20, seen.Rewritten + resumed.Rewritten);
        Assert.Equal(10, seen.Unchanged + resumed.Unchanged);
        Assert.Equal(0, await setup.Collection.CountDocumentsAsync(new BsonDocument("credentials.access_token", new BsonDocument("$regex", "^at-"))));
    }

    [Fact]
    public async Task Migration_RecordRefreshedMeanwhile_TheRefreshWinsAndTheRecordIsStillEncrypted()
    {
        var setup = Create();
        var plain = await setup.Raw.InsertAsync(Record("acct-1", "P"));
        var racing = new RacingStore(setup.Raw, async () =>
        {
            // A token refresh in a process without encryption (the TypeScript SDK) writes the
            // record between the pass's read and its write.
            var current = (await setup.Raw.GetAsync(plain.Id))!;
            await setup.Raw.UpdateAsync(current with { Credentials = new Dictionary<string, string>(current.Credentials) { [IntegrationCredentialKeys.RefreshToken] = "rt-ROTATED" } }, current.Version);
        });
        var protector = _keys.Protector();
        var migration = new IntegrationCredentialMigration(new EncryptingIntegrationStore(racing, protector, _time), protector, _keys);

        var pass = await migration.EncryptAllAsync();

        Assert.Equal(1, pass.Rewritten);
        var stored = (await setup.Store.GetAsync(plain.Id))!;
        Assert.Equal("rt-ROTATED", stored.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(3, stored.Version);
        var document = await RawDocumentAsync(setup, plain.Id);
        Assert.DoesNotContain("ROTATED", document.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("at-P", document.ToJson(), StringComparison.Ordinal);
    }

    /// <summary>Runs a competing write once, just before the first conditional update reaches the store.</summary>
    private sealed class RacingStore(IIntegrationStore inner, Func<Task> competingWrite) : IIntegrationStore
    {
        private int _raced;

        public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default) => inner.GetAsync(integrationId, cancellationToken);

        public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) =>
            inner.FindByAccountAsync(accountId, providers, cancellationToken);

        public Task<IReadOnlyList<Integration>> ListAsync(int limit, string? afterId = null, CancellationToken cancellationToken = default) => inner.ListAsync(limit, afterId, cancellationToken);

        public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default) => inner.InsertAsync(integration, cancellationToken);

        public async Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _raced, 1) == 0)
            {
                await competingWrite();
            }

            return await inner.UpdateAsync(integration, expectedVersion, cancellationToken);
        }

        public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) => inner.DeleteAsync(integrationId, cancellationToken);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, which a test cannot wait for deterministically).</summary>
    private sealed class SyncProgress(Action<CredentialMigrationResult> report) : IProgress<CredentialMigrationResult>
    {
        public SyncProgress(List<CredentialMigrationResult> into)
            : this(into.Add)
        {
        }

        public void Report(CredentialMigrationResult value) => report(value);
    }
}
