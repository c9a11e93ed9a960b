namespace Scoutflo.Http.Integrations;

/// <summary>The stable error codes carried by <see cref="IntegrationException.ErrorCode"/>.</summary>
public static class IntegrationErrorCodes
{
    /// <summary>No integration exists with the given id.</summary>
    public const string NotFound = "integration_not_found";

    /// <summary>A request carried no integration id and its client was registered without one.</summary>
    public const string IdMissing = "integration_id_missing";

    /// <summary>The integration id is not a 24-character hexadecimal string.</summary>
    public const string IdInvalid = "integration_id_invalid";

    /// <summary>A request targets a host that is not the integration's own API host.</summary>
    public const string HostNotAllowed = "integration_host_not_allowed";

    /// <summary>The provider of a record is not registered.</summary>
    public const string ProviderUnknown = "integration_provider_unknown";

    /// <summary>The auth type of a record is not registered, or the provider does not accept it.</summary>
    public const string AuthTypeUnsupported = "integration_auth_type_unsupported";

    /// <summary>A credential field the auth type needs is missing or empty.</summary>
    public const string CredentialsMissing = "integration_credentials_missing";

    /// <summary>The record's site or base URL is missing or not an absolute https URL.</summary>
    public const string BaseUrlInvalid = "integration_base_url_invalid";

    /// <summary>A required field of the record (account id, provider, a provider's metadata) is missing or malformed.</summary>
    public const string RecordInvalid = "integration_record_invalid";

    /// <summary>An update was made against a stale version of the record.</summary>
    public const string VersionConflict = "integration_version_conflict";

    /// <summary>The integration was switched off (<see cref="IntegrationStatus.Disabled"/>).</summary>
    public const string Disabled = "integration_disabled";

    /// <summary>The integration can no longer refresh its credentials; the user must install it again.</summary>
    public const string ReauthorizationRequired = "integration_reauthorization_required";

    /// <summary>
    /// The shared lock that guards a token refresh cannot be reached (Redis is down), so the
    /// refresh does not proceed: two processes must never spend one single-use refresh token.
    /// </summary>
    public const string LockUnavailable = "integration_lock_unavailable";

    /// <summary>The store of one-time OAuth state and site-selection handles cannot be reached (Redis is down).</summary>
    public const string StateStoreUnavailable = "integration_state_store_unavailable";
}
