using MongoDB.Bson;
using MongoDB.Driver;

namespace Scoutflo.Http.Integrations.MongoDb.Internal;

/// <summary>
/// Integration records in the MongoDB collection shared with the TypeScript SDK. Updates are
/// conditional on <c>version</c> and touch only the fields this library knows (and, inside
/// <c>credentials</c> and <c>metadata</c>, only the keys that changed), so that fields another
/// service added survive. Correctness rests on the version filter alone: no unique index and
/// no transaction is needed.
/// </summary>
internal sealed partial class MongoIntegrationStore : IIntegrationStore
{
    /// <summary>How long after an index creation that failed for want of a server it is tried again.</summary>
    internal static readonly TimeSpan IndexRetryDelay = TimeSpan.FromMinutes(1);

    private readonly IMongoCollection<BsonDocument> _collection;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _identity;
    private readonly Lock _indexGate = new();
    private Task<bool>? _indexes;
    private long _indexesFailedAt;

    public MongoIntegrationStore(IMongoCollection<BsonDocument> collection, TimeProvider timeProvider, ILogger<MongoIntegrationStore> logger, TimeSpan? operationTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _collection = collection;
        _timeProvider = timeProvider;
        _logger = logger;
        OperationTimeout = operationTimeout ?? MongoIntegrationStoreOptions.DefaultOperationTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OperationTimeout, TimeSpan.Zero, nameof(operationTimeout));
        _identity = DescribeStore(collection);
    }

    /// <summary>The most one operation may take (<see cref="MongoIntegrationStoreOptions.OperationTimeout"/>).</summary>
    internal TimeSpan OperationTimeout { get; }

    /// <summary>The store as messages name it: collection and host, never the connection string.</summary>
    internal string Identity => _identity;

    /// <summary>
    /// One bounded read by an id no generator produces (timestamp 0, counter 0); throws the
    /// library's error when the server does not answer. For the health check.
    /// </summary>
    internal Task ProbeAsync(CancellationToken cancellationToken) =>
        RunAsync(Access.Read, null, ct => FindAsync(ObjectId.Empty, ct), cancellationToken);

    public async Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        if (!ObjectId.TryParse(integrationId, out var id))
        {
            return null;
        }

        EnsureIndexesInBackground();
        var document = await RunAsync(Access.Read, integrationId, ct => FindAsync(id, ct), cancellationToken).ConfigureAwait(false);
        return document is null ? null : IntegrationDocument.FromDocument(document);
    }

    public async Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        EnsureIndexesInBackground();

        var filter = new BsonDocument(IntegrationDocument.AccountId, accountId);
        if (providers is { Count: > 0 })
        {
            filter[IntegrationDocument.Provider] = new BsonDocument("$in", new BsonArray(providers));
        }

        var documents = await RunAsync(Access.Read, null, ct => _collection.Find(filter).ToListAsync(ct), cancellationToken).ConfigureAwait(false);

        // Ordered here rather than by the server, so that the order is exactly the in-memory
        // store's: oldest first, then by id.
        return ReadAll(documents)
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

        EnsureIndexesInBackground();
        var document = IntegrationDocument.ToDocument(integration, id, now);
        EnsureFits(document, generated ? null : integration.Id);
        if (generated)
        {
            await RunAsync(Access.Write, null, async ct =>
            {
                await _collection.InsertOneAsync(document, cancellationToken: ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A caller-chosen id may already exist. An upsert that only inserts tells us so
            // without relying on a duplicate-key error (whose code some servers report for
            // every write error).
            var result = await RunAsync(Access.Write, integration.Id, ct => _collection.UpdateOneAsync(
                new BsonDocument(IntegrationDocument.Id, id),
                new BsonDocument("$setOnInsert", document),
                new UpdateOptions { IsUpsert = true },
                ct), cancellationToken).ConfigureAwait(false);
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

        EnsureIndexesInBackground();
        var stored = await RunAsync(Access.Write, integration.Id, ct => UpdateCoreAsync(id, integration, expectedVersion, ct), cancellationToken).ConfigureAwait(false);
        return IntegrationDocument.FromDocument(stored);
    }

    private async Task<BsonDocument> UpdateCoreAsync(ObjectId id, Integration integration, int expectedVersion, CancellationToken cancellationToken)
    {
        // Read first: the per-key diff of credentials and metadata needs the stored values, and
        // a stale caller is refused without a write.
        var current = await FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new IntegrationNotFoundException(integration.Id);
        if (ReadVersion(current) != expectedVersion)
        {
            throw new IntegrationConcurrencyException(integration.Id, expectedVersion);
        }

        // The record as this library writes it; fields other writers added are not counted
        // (a server still refuses the rest, and that refusal is translated too).
        EnsureFits(IntegrationDocument.ToDocument(integration, id, Now()), integration.Id);
        var update = BuildUpdate(current, integration, expectedVersion + 1, Now());
        var stored = await _collection.FindOneAndUpdateAsync<BsonDocument>(
            VersionFilter(id, expectedVersion),
            update,
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After },
            cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return stored;
        }

        // Someone wrote (or deleted) it between the read and the conditional update.
        var exists = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        throw exists is null
            ? new IntegrationNotFoundException(integration.Id)
            : new IntegrationConcurrencyException(integration.Id, expectedVersion);
    }

    public Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default)
    {
        var filter = new BsonDocument
        {
            { IntegrationDocument.AuthType, IntegrationAuthTypes.OAuth2 },

            // $nin also matches documents without a status, which read as active.
            { IntegrationDocument.Status, new BsonDocument("$nin", new BsonArray { IntegrationStatus.ReauthorizationRequired, IntegrationStatus.Disabled }) },
            { IntegrationDocument.UpdatedAt, new BsonDocument("$lt", new BsonDateTime(updatedBefore.UtcDateTime)) },
        };
        return PageAsync(filter, limit, afterId, cancellationToken);
    }

    public Task<IReadOnlyList<Integration>> ListAsync(int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
        PageAsync(new BsonDocument(), limit, afterId, cancellationToken);

    /// <summary>One page of the records <paramref name="filter"/> matches, in id order, after <paramref name="afterId"/>.</summary>
    private async Task<IReadOnlyList<Integration>> PageAsync(BsonDocument filter, int limit, string? afterId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (afterId is not null)
        {
            if (!ObjectId.TryParse(afterId, out var after))
            {
                throw new ArgumentException($"'{afterId}' is not a 24-character hexadecimal integration id.", nameof(afterId));
            }

            filter[IntegrationDocument.Id] = new BsonDocument("$gt", after);
        }

        var documents = await RunAsync(Access.Read, null, ct => _collection.Find(filter)
            .Sort(new BsonDocument(IntegrationDocument.Id, 1))
            .Limit(limit)
            .ToListAsync(ct), cancellationToken).ConfigureAwait(false);
        return ReadAll(documents);
    }

    public async Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        if (!ObjectId.TryParse(integrationId, out var id))
        {
            return false;
        }

        var result = await RunAsync(Access.Write, integrationId, ct => _collection.DeleteOneAsync(new BsonDocument(IntegrationDocument.Id, id), ct), cancellationToken).ConfigureAwait(false);
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
    /// Starts <see cref="EnsureIndexesAsync"/> once per store, on first use rather than in the
    /// constructor so that building the service provider never waits on the network, and in
    /// the background: an operation never waits for it, so that during an outage a call costs
    /// one bounded wait (its own), not the index creation's and then its own. A failure is
    /// logged; it is tried again after <see cref="IndexRetryDelay"/> only when no server could
    /// be reached (the index speeds reads up, correctness does not depend on it, and a user
    /// without the createIndex privilege must still be served).
    /// </summary>
    private void EnsureIndexesInBackground()
    {
        var indexes = Volatile.Read(ref _indexes);
        if (indexes is not null && !ShouldRetry(indexes))
        {
            return;
        }

        lock (_indexGate)
        {
            if (_indexes is null || ShouldRetry(_indexes))
            {
                _indexes = CreateIndexesQuietlyAsync();
            }
        }

        bool ShouldRetry(Task<bool> task) =>
            task.IsCompletedSuccessfully && !task.Result
            && _timeProvider.GetElapsedTime(Interlocked.Read(ref _indexesFailedAt)) >= IndexRetryDelay;
    }

    /// <returns><see langword="false"/> when the server could not be reached (worth another try later).</returns>
    private async Task<bool> CreateIndexesQuietlyAsync()
    {
        try
        {
            // Not a caller's token: its cancellation must not cancel the work for all.
            using var timeout = new CancellationTokenSource(OperationTimeout, _timeProvider);
            await EnsureIndexesAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // Any failure only costs speed; it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.MongoIndexCreationFailed(_logger, _collection.CollectionNamespace.CollectionName, ex);
            if (IsOutage(ex) || ex is OperationCanceledException)
            {
                Interlocked.Exchange(ref _indexesFailedAt, _timeProvider.GetTimestamp());
                return false;
            }

            return true;
        }
    }

    private enum Access
    {
        Read,
        Write,
    }

    /// <summary>
    /// Runs one store operation within <see cref="OperationTimeout"/> (whatever the client's own
    /// settings, which may belong to the application) and turns the driver's failures into the
    /// library's: the caller sees an <see cref="IntegrationException"/> with the driver's
    /// exception inside, and the store named by collection and host, never by its connection
    /// string (which may hold a password).
    /// </summary>
    private async Task<T> RunAsync<T>(Access access, string? integrationId, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(OperationTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await operation(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new IntegrationException(IntegrationErrorCodes.StoreUnavailable,
                $"The integration store ({_identity}) did not answer within {Describe(OperationTimeout)} (MongoIntegrationStoreOptions.{nameof(MongoIntegrationStoreOptions.OperationTimeout)}).", ex)
            {
                IntegrationId = integrationId,
            };
        }
        catch (Exception ex) when (Translate(ex, access, integrationId) is { } translated)
        {
            throw translated;
        }
    }

    private IntegrationException? Translate(Exception exception, Access access, string? integrationId)
    {
        if (IsTooLarge(exception))
        {
            return new IntegrationException(IntegrationErrorCodes.RecordTooLarge,
                $"The integration record is larger than the integration store ({_identity}) accepts (16 MiB per document); nothing was written.", exception)
            {
                IntegrationId = integrationId,
            };
        }

        if (IsOutage(exception))
        {
            return new IntegrationException(IntegrationErrorCodes.StoreUnavailable,
                $"The integration store ({_identity}) cannot be reached: {exception.GetType().Name}.", exception)
            {
                IntegrationId = integrationId,
            };
        }

        if (exception is MongoException or BsonException or FormatException)
        {
            return access == Access.Write
                ? new IntegrationException(IntegrationErrorCodes.StoreWriteFailed, $"The integration store ({_identity}) refused the write: {exception.GetType().Name}.", exception) { IntegrationId = integrationId }
                : new IntegrationException(IntegrationErrorCodes.StoreUnavailable, $"The integration store ({_identity}) refused the read: {exception.GetType().Name}.", exception) { IntegrationId = integrationId };
        }

        return null;
    }

    /// <summary>No server answered, or the one that did could not serve: worth trying again later.</summary>
    private static bool IsOutage(Exception exception) => exception is
        TimeoutException or MongoConnectionException or MongoNotPrimaryException or MongoNodeIsRecoveringException
        or MongoExecutionTimeoutException or MongoWaitQueueFullException or System.Net.Sockets.SocketException or IOException;

    /// <summary>The driver refuses an oversized document before sending it; a server refuses one it received (BSONObjectTooLarge, 10334).</summary>
    private static bool IsTooLarge(Exception exception) => exception switch
    {
        FormatException f => f.Message.Contains("MaxDocumentSize", StringComparison.Ordinal),
        MongoWriteException w => w.WriteError?.Code == 10334,
        MongoBulkWriteException b => b.WriteErrors.Any(e => e.Code == 10334),
        MongoCommandException c => c.Code == 10334,
        _ => false,
    };

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 && timeout.Milliseconds == 0
            ? $"{timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s"
            : $"{timeout.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} ms";

    /// <summary>"MongoDB collection 'db.integrations' at host:port": enough to find it, no credential.</summary>
    private static string DescribeStore(IMongoCollection<BsonDocument> collection)
    {
        var hosts = collection.Database?.Client?.Settings?.Servers?.Select(s => $"{s.Host}:{s.Port}").ToList();
        return hosts is { Count: > 0 }
            ? $"MongoDB collection '{collection.CollectionNamespace.FullName}' at {string.Join(",", hosts)}"
            : $"MongoDB collection '{collection.CollectionNamespace.FullName}'";
    }

    private async Task<BsonDocument?> FindAsync(ObjectId id, CancellationToken cancellationToken) =>
        await _collection.Find(new BsonDocument(IntegrationDocument.Id, id)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    private static int ReadVersion(BsonDocument document) =>
        IntegrationDocument.ReadVersion(document, document.TryGetValue(IntegrationDocument.Id, out var id) ? id.ToString() ?? string.Empty : string.Empty);

    /// <summary>
    /// Refuses a document over MongoDB's 16 MiB here, before it is sent: servers differ in how
    /// they refuse one (and some only after reading all of it).
    /// </summary>
    private void EnsureFits(BsonDocument document, string? integrationId)
    {
        var size = document.ToBson().Length;
        if (size > IntegrationDocument.MaxDocumentBytes)
        {
            throw new IntegrationException(IntegrationErrorCodes.RecordTooLarge,
                $"The integration record is {size} bytes of BSON; the integration store ({_identity}) accepts at most {IntegrationDocument.MaxDocumentBytes} (16 MiB) per document. Nothing was written.",
                new FormatException($"Size {size} is larger than MaxDocumentSize {IntegrationDocument.MaxDocumentBytes}."))
            {
                IntegrationId = integrationId,
            };
        }
    }

    /// <summary>The records of <paramref name="documents"/>, leaving out (and logging) any that cannot be read, so one odd document never breaks a listing.</summary>
    private List<Integration> ReadAll(IEnumerable<BsonDocument> documents)
    {
        var records = new List<Integration>();
        foreach (var document in documents)
        {
            try
            {
                records.Add(IntegrationDocument.FromDocument(document));
            }
            catch (IntegrationException ex) when (ex.ErrorCode == IntegrationErrorCodes.RecordInvalid)
            {
                Log.MongoRecordUnreadable(_logger, ex.IntegrationId ?? "(no id)", _collection.CollectionNamespace.CollectionName, ex.Message);
            }
        }

        return records;
    }

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
        var set = FieldsSetByEveryUpdate(integration, newVersion, now);
        var unset = new BsonDocument();
        AddSubDocumentChanges(set, unset, current, IntegrationDocument.Credentials, integration.Credentials);
        AddSubDocumentChanges(set, unset, current, IntegrationDocument.Metadata, integration.Metadata);
        return Combine(set, unset);
    }

    private static BsonDocument Combine(BsonDocument set, BsonDocument unset)
    {
        var update = new BsonDocument("$set", set);
        if (unset.ElementCount > 0)
        {
            update["$unset"] = unset;
        }

        return update;
    }

    /// <summary>The record's own fields outside <c>credentials</c> and <c>metadata</c>, the new version and the write time.</summary>
    private static BsonDocument FieldsSetByEveryUpdate(Integration integration, int newVersion, DateTime now) =>
        new()
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

        var changes = Changes(IntegrationDocument.ReadSubDocument(current, field), wanted);
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

        AddPathChanges(set, unset, field, changes);
    }

    /// <summary>The keys of a sub-document whose value differs between what was read and what is wanted: the new value, or <see langword="null"/> for a key to remove.</summary>
    private static List<(string Key, string? Value)> Changes(IReadOnlyDictionary<string, string> read, IReadOnlyDictionary<string, string> wanted)
    {
        var changes = new List<(string Key, string? Value)>();
        foreach (var (key, value) in wanted)
        {
            if (!read.TryGetValue(key, out var old) || !string.Equals(old, value, StringComparison.Ordinal))
            {
                changes.Add((key, value));
            }
        }

        foreach (var key in read.Keys)
        {
            if (!wanted.ContainsKey(key))
            {
                changes.Add((key, null));
            }
        }

        return changes;
    }

    /// <summary>One <c>$set</c>/<c>$unset</c> of <c>field.key</c> per change; every key must be a plain field name.</summary>
    private static void AddPathChanges(BsonDocument set, BsonDocument unset, string field, List<(string Key, string? Value)> changes)
    {
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
