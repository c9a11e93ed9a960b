using MongoDB.Bson;

namespace Scoutflo.Http.Integrations.MongoDb.Internal;

/// <summary>
/// The hand-written mapping between <see cref="Integration"/> and the shared document shape
/// (see the storage contract in DESIGN.md). No class maps or conventions: those register
/// globally and would change how the consuming service serializes its own types.
/// </summary>
internal static class IntegrationDocument
{
    public const string Id = "_id";
    public const string Provider = "provider";
    public const string AccountId = "account_id";
    public const string CreatedBy = "created_by";
    public const string AuthType = "auth_type";
    public const string Credentials = "credentials";
    public const string Metadata = "metadata";
    public const string Scopes = "scopes";
    public const string Status = "status";
    public const string Version = "version";
    public const string CreatedAt = "created_at";
    public const string UpdatedAt = "updated_at";

    /// <summary>The document inserted for a new record.</summary>
    public static BsonDocument ToDocument(Integration integration, ObjectId id, DateTime now) => new()
    {
        { Id, id },
        { Provider, integration.Provider },
        { AccountId, integration.AccountId },
        { CreatedBy, ToBson(integration.CreatedBy) },
        { AuthType, integration.AuthType },
        { Credentials, ToSubDocument(integration.Credentials) },
        { Metadata, ToSubDocument(integration.Metadata) },
        { Scopes, new BsonArray(integration.Scopes) },
        { Status, integration.Status },
        { Version, 1 },
        { CreatedAt, new BsonDateTime(now) },
        { UpdatedAt, new BsonDateTime(now) },
    };

    /// <summary>MongoDB's limit on one document: 16 MiB.</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Reads a document written by this library or by the TypeScript SDK. Lenient where it can
    /// be: a missing field reads as its default, and a field of an unexpected type reads as
    /// missing (the record's validation then names what it lacks). The one field it cannot
    /// guess is <c>version</c>: read wrongly, every conditional update would miss or hit the
    /// wrong state, so a version that is not a 32-bit integer refuses the record.
    /// </summary>
    /// <exception cref="IntegrationException"><c>integration_record_invalid</c>: the document cannot be read as a record.</exception>
    public static Integration FromDocument(BsonDocument document)
    {
        var id = document.TryGetValue(Id, out var rawId) ? rawId.ToString() ?? string.Empty : string.Empty;
        try
        {
            return new Integration
            {
                Id = id,
                Provider = GetString(document, Provider) ?? string.Empty,
                AccountId = GetString(document, AccountId) ?? string.Empty,
                CreatedBy = GetString(document, CreatedBy),
                AuthType = GetString(document, AuthType) ?? string.Empty,
                Credentials = ReadSubDocument(document, Credentials),
                Metadata = ReadSubDocument(document, Metadata),
                Scopes = ReadScopes(document),
                Status = GetString(document, Status) ?? IntegrationStatus.Active,
                Version = ReadVersion(document, id),
                CreatedAt = ReadDate(document, CreatedAt),
                UpdatedAt = ReadDate(document, UpdatedAt),
            };
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException or OverflowException or FormatException or BsonException)
        {
            // Defence in depth: a shape no reader above foresaw is still the library's error.
            throw new IntegrationException(IntegrationErrorCodes.RecordInvalid, $"The stored integration record cannot be read: {ex.GetType().Name}.", ex)
            {
                IntegrationId = id,
            };
        }
    }

    /// <summary>
    /// The record's <c>version</c>: 0 when missing (a document written without one), an integral
    /// number within the 32-bit range otherwise.
    /// </summary>
    /// <exception cref="IntegrationException"><c>integration_record_invalid</c> for any other value.</exception>
    public static int ReadVersion(BsonDocument document, string integrationId)
    {
        if (!document.TryGetValue(Version, out var version) || version.IsBsonNull)
        {
            return 0;
        }

        long? value = version.BsonType switch
        {
            BsonType.Int32 => version.AsInt32,
            BsonType.Int64 => version.AsInt64,
            BsonType.Double when version.AsDouble is var d && Math.Floor(d) == d && d >= int.MinValue && d <= int.MaxValue => (long)d,
            _ => null,
        };
        if (value is { } v && v is >= 0 and <= int.MaxValue)
        {
            return (int)v;
        }

        throw new IntegrationException(IntegrationErrorCodes.RecordInvalid,
            $"The stored integration record's 'version' is not a non-negative 32-bit integer (it is a {version.BsonType}); it cannot be updated safely.")
        {
            IntegrationId = integrationId,
        };
    }

    /// <summary>
    /// The string form of a value inside <c>credentials</c> or <c>metadata</c>, or
    /// <see langword="null"/> for a value that has no meaningful string form (null, documents,
    /// arrays, binary): those are left untouched in the stored document.
    /// </summary>
    public static string? AsString(BsonValue value) => value.BsonType switch
    {
        BsonType.String => value.AsString,
        BsonType.DateTime when value.AsBsonDateTime.IsValidDateTime => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        BsonType.Int32 => value.AsInt32.ToString(CultureInfo.InvariantCulture),
        BsonType.Int64 => value.AsInt64.ToString(CultureInfo.InvariantCulture),
        BsonType.Double => value.AsDouble.ToString(CultureInfo.InvariantCulture),
        BsonType.Decimal128 => value.AsDecimal128.ToString(),
        BsonType.Boolean => value.AsBoolean ? "true" : "false",
        BsonType.ObjectId => value.AsObjectId.ToString(),
        _ => null,
    };

    /// <summary>The readable (string-convertible) entries of a sub-document; empty when it is missing or not a document.</summary>
    public static Dictionary<string, string> ReadSubDocument(BsonDocument document, string field)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.TryGetValue(field, out var sub) && sub is BsonDocument subDocument)
        {
            foreach (var element in subDocument)
            {
                if (AsString(element.Value) is { } text)
                {
                    values[element.Name] = text;
                }
            }
        }

        return values;
    }

    public static BsonValue ToBson(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    public static BsonDocument ToSubDocument(IReadOnlyDictionary<string, string> values)
    {
        var document = new BsonDocument();
        foreach (var (name, value) in values)
        {
            document[name] = ToBson(value);
        }

        return document;
    }

    private static string? GetString(BsonDocument document, string field) =>
        document.TryGetValue(field, out var value) && value.IsString ? value.AsString : null;

    private static List<string> ReadScopes(BsonDocument document)
    {
        if (!document.TryGetValue(Scopes, out var value))
        {
            return [];
        }

        if (value is BsonArray array)
        {
            return array.Where(v => v.IsString).Select(v => v.AsString).ToList();
        }

        // An OAuth "scope" response kept verbatim: one space-separated string.
        return value.IsString ? [.. value.AsString.Split(' ', StringSplitOptions.RemoveEmptyEntries)] : [];
    }

    private static DateTimeOffset ReadDate(BsonDocument document, string field)
    {
        if (!document.TryGetValue(field, out var value))
        {
            return default;
        }

        return value.BsonType switch
        {
            BsonType.DateTime when value.AsBsonDateTime.IsValidDateTime => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
            BsonType.String when DateTimeOffset.TryParse(value.AsString, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed,
            _ => default,
        };
    }
}
