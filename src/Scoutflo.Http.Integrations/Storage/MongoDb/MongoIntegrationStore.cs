using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.Storage.MongoDb;

/// <summary>
/// Integration records in the MongoDB collection shared with the TypeScript SDK. Updates are
/// conditional on <c>version</c> and touch only the fields this library knows (and, inside
/// <c>credentials</c> and <c>metadata</c>, only the keys that changed), so that fields another
/// service added survive. Correctness rests on the version filter alone: no unique index and
/// no transaction is needed.
/// </summary>
internal sealed class MongoIntegrationStore : IIntegrationStore
{
    private readonly IMongoCollection<BsonDocument> _collection;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _indexGate = new();
    private Task? _indexes;

    public MongoIntegrationStore(IMongoCollection<BsonDocument> collection, TimeProvider timeProvider, ILogger<MongoIntegrationStore> logger)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _collection = collection;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        if (!ObjectId.TryParse(integrationId, out var id))
        {
            return null;
        }

        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        var document = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return document is null ? null : IntegrationDocument.FromDocument(document);
    }

    public async Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);

        var filter = new BsonDocument(IntegrationDocument.AccountId, accountId);
        if (providers is { Count: > 0 })
        {
            filter[IntegrationDocument.Provider] = new BsonDocument("$in", new BsonArray(providers));
        }

        var documents = await _collection.Find(filter).ToListAsync(cancellationToken).ConfigureAwait(false);

        // Ordered here rather than by the server, so that the order is exactly the in-memory
        // store's: oldest first, then by id.
        return documents
            .Select(IntegrationDocument.FromDocument)
            .OrderBy(r => r.CreatedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        var now = Now();
        ObjectId id;
        var generated = integration.Id.Length == 0;
        if (generated)
        {
            id = ObjectId.GenerateNewId(now);
        }
        else if (!ObjectId.TryParse(integration.Id, out id))
        {
            throw new IntegrationException(IntegrationErrorCodes.IdInvalid, $"'{integration.Id}' is not a 24-character hexadecimal integration id.");
        }

        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        var document = IntegrationDocument.ToDocument(integration, id, now);
        if (generated)
        {
            await _collection.InsertOneAsync(document, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A caller-chosen id may already exist. An upsert that only inserts tells us so
            // without relying on a duplicate-key error (whose code some servers report for
            // every write error).
            var result = await _collection.UpdateOneAsync(
                new BsonDocument(IntegrationDocument.Id, id),
                new BsonDocument("$setOnInsert", document),
                new UpdateOptions { IsUpsert = true },
                cancellationToken).ConfigureAwait(false);
            if (result.UpsertedId is null)
            {
                throw new IntegrationException(IntegrationErrorCodes.VersionConflict, $"Integration '{integration.Id}' already exists.") { IntegrationId = integration.Id };
            }
        }

        return IntegrationDocument.FromDocument(document);
    }

    public async Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentException.ThrowIfNullOrEmpty(integration.Id, nameof(integration));
        if (!ObjectId.TryParse(integration.Id, out var id))
        {
            throw new IntegrationNotFoundException(integration.Id);
        }

        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);

        // Read first: the per-key diff of credentials and metadata needs the stored values, and
        // a stale caller is refused without a write.
        var current = await FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new IntegrationNotFoundException(integration.Id);
        if (ReadVersion(current) != expectedVersion)
        {
            throw new IntegrationConcurrencyException(integration.Id, expectedVersion);
        }

        var update = BuildUpdate(current, integration, expectedVersion + 1, Now());
        var stored = await _collection.FindOneAndUpdateAsync<BsonDocument>(
            VersionFilter(id, expectedVersion),
            update,
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After },
            cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return IntegrationDocument.FromDocument(stored);
        }

        // Someone wrote (or deleted) it between the read and the conditional update.
        var exists = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        throw exists is null
            ? new IntegrationNotFoundException(integration.Id)
            : new IntegrationConcurrencyException(integration.Id, expectedVersion);
    }

    public async Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = new BsonDocument
        {
            { IntegrationDocument.AuthType, IntegrationAuthTypes.OAuth2 },

            // $nin also matches documents without a status, which read as active.
            { IntegrationDocument.Status, new BsonDocument("$nin", new BsonArray { IntegrationStatus.ReauthorizationRequired, IntegrationStatus.Disabled }) },
            { IntegrationDocument.UpdatedAt, new BsonDocument("$lt", new BsonDateTime(updatedBefore.UtcDateTime)) },
        };
        if (afterId is not null)
        {
            if (!ObjectId.TryParse(afterId, out var after))
            {
                throw new ArgumentException($"'{afterId}' is not a 24-character hexadecimal integration id.", nameof(afterId));
            }

            filter[IntegrationDocument.Id] = new BsonDocument("$gt", after);
        }

        var documents = await _collection.Find(filter)
            .Sort(new BsonDocument(IntegrationDocument.Id, 1))
            .Limit(limit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return documents.Select(IntegrationDocument.FromDocument).ToList();
    }

    public async Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        if (!ObjectId.TryParse(integrationId, out var id))
        {
            return false;
        }

        var result = await _collection.DeleteOneAsync(new BsonDocument(IntegrationDocument.Id, id), cancellationToken).ConfigureAwait(false);
        return result.DeletedCount > 0;
    }

    /// <summary>
    /// Creates the indexes the queries use (account, then provider). Idempotent: creating an
    /// index that exists with the same keys and default name is a no-op on the server.
    /// </summary>
    internal async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        var keys = Builders<BsonDocument>.IndexKeys
            .Ascending(IntegrationDocument.AccountId)
            .Ascending(IntegrationDocument.Provider);

        // The default name (account_id_1_provider_1) is also what the TypeScript SDK's
        // Mongoose schema creates, so neither side ever sees a name conflict.
        await _collection.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(keys), cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.MongoIndexesEnsured(_logger, _collection.CollectionNamespace.CollectionName);
    }

    /// <summary>
    /// Runs <see cref="EnsureIndexesAsync"/> once per store, on first use rather than in the
    /// constructor so that building the service provider never waits on the network. A
    /// failure is logged and not retried: the index speeds reads up, correctness does not
    /// depend on it, and a user without the createIndex privilege must still be served.
    /// </summary>
    private Task EnsureIndexesOnceAsync(CancellationToken cancellationToken)
    {
        var indexes = Volatile.Read(ref _indexes);
        if (indexes is null)
        {
            lock (_indexGate)
            {
                indexes = _indexes ??= CreateIndexesQuietlyAsync();
            }
        }

        return indexes.IsCompleted ? Task.CompletedTask : indexes.WaitAsync(cancellationToken);
    }

    private async Task CreateIndexesQuietlyAsync()
    {
        try
        {
            // Not the first caller's token: its cancellation must not cancel the work for all.
            await EnsureIndexesAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure only costs speed; it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.MongoIndexCreationFailed(_logger, _collection.CollectionNamespace.CollectionName, ex);
        }
    }

    private async Task<BsonDocument?> FindAsync(ObjectId id, CancellationToken cancellationToken) =>
        await _collection.Find(new BsonDocument(IntegrationDocument.Id, id)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    private static int ReadVersion(BsonDocument document) =>
        document.TryGetValue(IntegrationDocument.Version, out var version) && version.IsNumeric ? version.ToInt32() : 0;

    private static BsonDocument VersionFilter(ObjectId id, int expectedVersion)
    {
        var filter = new BsonDocument(IntegrationDocument.Id, id);
        if (expectedVersion == 0)
        {
            // A document written without a version (reads as 0) is updated as version 0.
            filter["$or"] = new BsonArray
            {
                new BsonDocument(IntegrationDocument.Version, 0),
                new BsonDocument(IntegrationDocument.Version, new BsonDocument("$exists", false)),
            };
        }
        else
        {
            filter[IntegrationDocument.Version] = expectedVersion;
        }

        return filter;
    }

    private static BsonDocument BuildUpdate(BsonDocument current, Integration integration, int newVersion, DateTime now)
    {
        var set = new BsonDocument
        {
            { IntegrationDocument.Provider, integration.Provider },
            { IntegrationDocument.AccountId, integration.AccountId },
            { IntegrationDocument.CreatedBy, IntegrationDocument.ToBson(integration.CreatedBy) },
            { IntegrationDocument.AuthType, integration.AuthType },
            { IntegrationDocument.Scopes, new BsonArray(integration.Scopes) },
            { IntegrationDocument.Status, integration.Status },
            { IntegrationDocument.Version, newVersion },
            { IntegrationDocument.UpdatedAt, new BsonDateTime(now) },
        };
        var unset = new BsonDocument();
        AddSubDocumentChanges(set, unset, current, IntegrationDocument.Credentials, integration.Credentials);
        AddSubDocumentChanges(set, unset, current, IntegrationDocument.Metadata, integration.Metadata);

        var update = new BsonDocument("$set", set);
        if (unset.ElementCount > 0)
        {
            update["$unset"] = unset;
        }

        return update;
    }

    /// <summary>
    /// Adds <c>$set</c>/<c>$unset</c> of <c>field.key</c> for every key whose value changed,
    /// leaving every other key (unknown ones, and non-string values that read the same) as the
    /// other writer left it.
    /// </summary>
    private static void AddSubDocumentChanges(BsonDocument set, BsonDocument unset, BsonDocument current, string field, IReadOnlyDictionary<string, string> wanted)
    {
        if (!current.TryGetValue(field, out var stored) || stored is not BsonDocument storedDocument)
        {
            // Missing or not a document (e.g. null): nothing to keep, and a dotted path could
            // not be created inside it.
            set[field] = IntegrationDocument.ToSubDocument(wanted);
            return;
        }

        var readable = IntegrationDocument.ReadSubDocument(current, field);
        var changes = new List<(string Key, string? Value)>();
        foreach (var (key, value) in wanted)
        {
            if (!readable.TryGetValue(key, out var old) || !string.Equals(old, value, StringComparison.Ordinal))
            {
                changes.Add((key, value));
            }
        }

        foreach (var key in readable.Keys)
        {
            if (!wanted.ContainsKey(key))
            {
                changes.Add((key, null));
            }
        }

        if (changes.Any(c => !IsPlainFieldName(c.Key)))
        {
            // A key with '.' or a leading '$' cannot be addressed by an update path: write the
            // whole sub-document, merged onto the stored one so that its other keys stay.
            var merged = storedDocument.DeepClone().AsBsonDocument;
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    merged.Remove(key);
                }
                else
                {
                    merged[key] = value;
                }
            }

            set[field] = merged;
            return;
        }

        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                unset[$"{field}.{key}"] = string.Empty;
            }
            else
            {
                set[$"{field}.{key}"] = value;
            }
        }
    }

    private static bool IsPlainFieldName(string key) =>
        key.Length > 0 && key[0] != '$' && !key.Contains('.', StringComparison.Ordinal);

    /// <summary>Now, cut to the millisecond a BSON date keeps, so that what is returned is what is read back.</summary>
    private DateTime Now()
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
