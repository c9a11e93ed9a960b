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

    /// <summary>
    /// A record names a provider this library ships (jira, slack, sentry, ...) whose registration
    /// the application did not add (<c>AddAtlassian</c>, <c>AddSlack</c>, <c>AddSentry</c>); the
    /// message names the registration.
    /// </summary>
    public const string ProviderNotRegistered = "integration_provider_not_registered";

    /// <summary>The auth type of a record is not registered, or the provider does not accept it.</summary>
    public const string AuthTypeUnsupported = "integration_auth_type_unsupported";

    /// <summary>A credential field the auth type needs is missing or empty.</summary>
    public const string CredentialsMissing = "integration_credentials_missing";

    /// <summary>The record's site or base URL is missing, not an absolute https URL, or longer than 2,048 characters.</summary>
    public const string BaseUrlInvalid = "integration_base_url_invalid";

    /// <summary>
    /// The record's site or base URL is well formed but not on the provider's hosts: not an https
    /// origin on <c>*.atlassian.net</c>, Slack's API host, sentry.io or a host the application
    /// allowed in the provider's options (<c>AdditionalSiteUrls</c>, <c>AdditionalApiBaseUrls</c>,
    /// <c>SelfHostedBaseUrls</c>). Credentials are never sent there.
    /// </summary>
    public const string BaseUrlNotAllowed = "integration_base_url_not_allowed";

    /// <summary>A required field of the record (account id, provider, a provider's metadata) is missing or malformed.</summary>
    public const string RecordInvalid = "integration_record_invalid";

    /// <summary>
    /// A credential holds a control character (it would be written raw into a header), is longer
    /// than the limit, or the record holds too many credentials. The message names the field, never its value.
    /// </summary>
    public const string CredentialsInvalid = "integration_credentials_invalid";

    /// <summary>
    /// A stored secret (a credential, a cached token or one-time value) is encrypted under a key
    /// id the key ring does not hold (<c>UseCredentialEncryption</c>): add the retired key back to
    /// the ring. The value is not used. The message names the record, field and key id, never the
    /// value. Status 500: the application's key ring is misconfigured.
    /// </summary>
    public const string CredentialsKeyUnknown = "integration_credentials_key_unknown";

    /// <summary>
    /// A stored secret could not be decrypted: it was changed, copied from another record or
    /// field, its key bytes differ from the ones it was written with, or it is plain text while
    /// <c>CredentialEncryptionOptions.RejectPlaintext</c> is on. The value is not used, and
    /// neither it nor any part of it is logged.
    /// </summary>
    public const string CredentialsDecryptionFailed = "integration_credentials_decryption_failed";

    /// <summary>An update was made against a stale version of the record.</summary>
    public const string VersionConflict = "integration_version_conflict";

    /// <summary>The integration was switched off (<see cref="IntegrationStatus.Disabled"/>).</summary>
    public const string Disabled = "integration_disabled";

    /// <summary>The integration can no longer refresh its credentials; the user must install it again.</summary>
    public const string ReauthorizationRequired = "integration_reauthorization_required";

    /// <summary>The token endpoint refused a request for a reason other than a dead grant (bad client credentials, malformed request).</summary>
    public const string TokenRequestFailed = "oauth_token_request_failed";

    /// <summary>The token endpoint answered with something that is not a usable token response.</summary>
    public const string TokenResponseInvalid = "oauth_token_response_invalid";

    /// <summary>The token endpoint kept failing (5xx, timeouts) after the bounded retries.</summary>
    public const string TokenEndpointUnavailable = "oauth_token_endpoint_unavailable";

    /// <summary>
    /// A token request (code exchange, refresh, Sentry authorizations, Atlassian accessible-resources)
    /// was answered with a redirect, or was about to leave for another URL than the configured
    /// endpoint; it is never followed, and nothing was sent to the redirect's target.
    /// </summary>
    public const string TokenEndpointRedirected = "oauth_token_endpoint_redirected";

    /// <summary>Another process held the refresh lock for longer than the configured wait.</summary>
    public const string RefreshLockTimeout = "integration_refresh_lock_timeout";

    /// <summary>
    /// The rotated tokens could not be written to the store. They are kept in the rotation
    /// journal (shared cache), and the next refresh adopts them rather than spend the old token.
    /// </summary>
    public const string StoreWriteFailed = "integration_store_write_failed";

    /// <summary>
    /// The refresh lock's lease could not be extended (another process holds it now, or its
    /// backend stopped answering), so the token request was stopped: two processes must never
    /// spend one single-use refresh token. Retry: the next refresh waits for the new holder.
    /// </summary>
    public const string RefreshLockLost = "integration_refresh_lock_lost";

    /// <summary>The OAuth state is tampered with, malformed, or signed with another key.</summary>
    public const string StateInvalid = "oauth_state_invalid";

    /// <summary>The OAuth state is older than its lifetime.</summary>
    public const string StateExpired = "oauth_state_expired";

    /// <summary>The OAuth state was already used by an earlier callback.</summary>
    public const string StateReplayed = "oauth_state_replayed";

    /// <summary>The OAuth state was issued for another provider than the callback's.</summary>
    public const string StateProviderMismatch = "oauth_state_provider_mismatch";

    /// <summary>The user (or the provider) refused the authorization: the callback carried <c>error=...</c>.</summary>
    public const string AuthorizationDenied = "oauth_authorization_denied";

    /// <summary>The callback carried neither a code nor an error.</summary>
    public const string CallbackInvalid = "oauth_callback_invalid";

    /// <summary>The provider cannot be installed with OAuth (not configured, or it has no OAuth flow).</summary>
    public const string OAuthNotConfigured = "oauth_provider_not_configured";

    /// <summary>The Atlassian user granted access to no site.</summary>
    public const string AtlassianNoAccessibleResources = "atlassian_no_accessible_resources";

    /// <summary>The Atlassian user granted access to several sites: the caller must pick one.</summary>
    public const string AtlassianSiteSelectionRequired = "atlassian_site_selection_required";

    /// <summary>The site-selection handle is unknown, expired or already used.</summary>
    public const string AtlassianSiteSelectionInvalid = "atlassian_site_selection_invalid";

    /// <summary>The chosen cloud id is not one of the sites offered for selection.</summary>
    public const string AtlassianSiteUnknown = "atlassian_site_unknown";
    /// <summary>
    /// The shared lock that guards a token refresh cannot be reached (Redis is down), so the
    /// refresh does not proceed: two processes must never spend one single-use refresh token.
    /// </summary>
    public const string LockUnavailable = "integration_lock_unavailable";

    /// <summary>The store of one-time OAuth state and site-selection handles cannot be reached (Redis is down).</summary>
    public const string StateStoreUnavailable = "integration_state_store_unavailable";

    /// <summary>
    /// The integration store (MongoDB) did not answer within its bound (server selection or
    /// <c>MongoIntegrationStoreOptions.OperationTimeout</c>) or refused the operation; the
    /// driver's exception is the inner exception.
    /// </summary>
    public const string StoreUnavailable = "integration_store_unavailable";

    /// <summary>
    /// The record is larger than the store accepts (MongoDB: 16 MiB per document), so it was not
    /// written; the message names the size and the limit, never a value.
    /// </summary>
    public const string RecordTooLarge = "integration_record_too_large";

    /// <summary>
    /// An install request named an account other than the one the registered
    /// <c>IIntegrationIdentityResolver</c> gives its user; nothing was built or stored.
    /// </summary>
    public const string AccountMismatch = "integration_account_mismatch";

    /// <summary>A provider's API answered a typed client's call with an error status (<see cref="IntegrationApiException"/>).</summary>
    public const string ProviderRequestFailed = "integration_provider_request_failed";
}
