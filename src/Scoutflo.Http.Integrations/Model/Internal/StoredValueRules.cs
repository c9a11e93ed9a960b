using System.Buffers;

namespace Scoutflo.Http.Integrations.Model.Internal;

/// <summary>
/// What a stored record may hold, checked on create, on update and again when a record is
/// resolved (the TypeScript SDK writes the same collection, so a record may never have passed
/// through this library). Credentials and the metadata that becomes part of a request are
/// written onto the wire: a CR or LF there would add headers or a whole second request on a
/// pooled connection. Messages name the field, never the value.
/// </summary>
internal static class StoredValueRules
{
    /// <summary>The longest integration id, account id and <c>created_by</c>.</summary>
    public const int MaxIdLength = 256;

    /// <summary>The most credential fields in a record.</summary>
    public const int MaxCredentials = 32;

    /// <summary>The longest credential value (a JWT access token is a few KB).</summary>
    public const int MaxCredentialLength = 16 * 1024;

    /// <summary>The most metadata fields in a record.</summary>
    public const int MaxMetadataEntries = 64;

    /// <summary>The longest credential or metadata field name.</summary>
    public const int MaxFieldNameLength = 128;

    /// <summary>The longest metadata value.</summary>
    public const int MaxMetadataLength = 4 * 1024;

    /// <summary>The longest site or base URL.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The most scopes in a record.</summary>
    public const int MaxScopes = 256;

    /// <summary>The longest scope.</summary>
    public const int MaxScopeLength = 256;

    // C0 controls (NUL, CR, LF, TAB, ...) and DEL: never part of a token, key or header value.
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        Enumerable.Range(0, 0x20).Select(c => (char)c).Append('\u007f').ToArray());

    /// <summary>Metadata the library puts into a request (a header name or value, a query parameter, a URL or path).</summary>
    private static readonly FrozenSet<string> WireMetadata = new[]
    {
        IntegrationMetadataKeys.ApiKeyHeader,
        IntegrationMetadataKeys.ApiKeyPrefix,
        IntegrationMetadataKeys.ApiKeyQueryParameter,
        IntegrationMetadataKeys.CredentialHeaders,
        IntegrationMetadataKeys.BaseUrl,
        IntegrationMetadataKeys.SiteUrl,
        IntegrationMetadataKeys.CloudId,
        IntegrationMetadataKeys.InstallationId,
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool HasControlCharacter(string value) => value.AsSpan().ContainsAny(ControlCharacters);

    /// <summary>Throws an <see cref="IntegrationException"/> naming the first field that breaks a rule.</summary>
    public static void Check(Integration integration)
    {
        CheckId(integration, "id", integration.Id);
        CheckId(integration, "account_id", integration.AccountId);
        CheckId(integration, "created_by", integration.CreatedBy);
        CheckCredentials(integration);
        CheckMetadata(integration);
        CheckScopes(integration);
    }

    private static void CheckId(Integration integration, string field, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > MaxIdLength)
        {
            throw RecordInvalid(integration, $"The integration's '{field}' is longer than {MaxIdLength} characters.");
        }

        if (HasControlCharacter(value))
        {
            throw RecordInvalid(integration, $"The integration's '{field}' contains a control character.");
        }
    }

    // Every credential may end up in a header: a mapping can name any field.
    private static void CheckCredentials(Integration integration) =>
        CheckFields(integration, integration.Credentials, IntegrationErrorCodes.CredentialsInvalid,
            "credential", "credentials", MaxCredentials, MaxCredentialLength, static _ => true);

    private static void CheckMetadata(Integration integration) =>
        CheckFields(integration, integration.Metadata, IntegrationErrorCodes.RecordInvalid,
            "metadata", "metadata fields", MaxMetadataEntries, MaxMetadataLength, WireMetadata.Contains);

    /// <summary>The rules credentials and metadata share: a bounded count, clean bounded names, bounded values, and no control character in a value that reaches the wire.</summary>
    private static void CheckFields(
        Integration integration,
        IReadOnlyDictionary<string, string> fields,
        string errorCode,
        string kind,
        string kindPlural,
        int maxCount,
        int maxValueLength,
        Func<string, bool> reachesTheWire)
    {
        if (fields.Count > maxCount)
        {
            throw Invalid(integration, errorCode, $"An integration holds at most {maxCount} {kindPlural}.");
        }

        foreach (var (name, value) in fields)
        {
            if (name.Length > MaxFieldNameLength || HasControlCharacter(name))
            {
                throw Invalid(integration, errorCode, $"A {kind} name is longer than {MaxFieldNameLength} characters or contains a control character.");
            }

            if (value is null)
            {
                continue;
            }

            if (value.Length > maxValueLength)
            {
                throw Invalid(integration, errorCode, $"The integration's {kind} '{name}' is longer than {maxValueLength} characters.");
            }

            if (reachesTheWire(name) && HasControlCharacter(value))
            {
                throw Invalid(integration, errorCode, $"The integration's {kind} '{name}' contains a control character.");
            }
        }
    }

    private static void CheckScopes(Integration integration)
    {
        if (integration.Scopes.Count > MaxScopes)
        {
            throw RecordInvalid(integration, $"An integration holds at most {MaxScopes} scopes.");
        }

        if (integration.Scopes.Any(s => s is not null && (s.Length > MaxScopeLength || HasControlCharacter(s))))
        {
            throw RecordInvalid(integration, $"A scope is longer than {MaxScopeLength} characters or contains a control character.");
        }
    }

    private static IntegrationException RecordInvalid(Integration integration, string message) =>
        Invalid(integration, IntegrationErrorCodes.RecordInvalid, message);

    private static IntegrationException Invalid(Integration integration, string errorCode, string message) =>
        new(errorCode, message)
        {
            IntegrationId = SafeId(integration),
            Provider = integration.Provider,
        };

    // An id that breaks the rules is not repeated into the exception (and from there into logs).
    private static string? SafeId(Integration integration) =>
        integration.Id.Length == 0 || integration.Id.Length > MaxIdLength || HasControlCharacter(integration.Id) ? null : integration.Id;
}
