using System.Reflection;
using System.Text.Json.Serialization;
using Scoutflo.Http.Integrations.Errors.Internal;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// An <see cref="IntegrationException"/> as an RFC 9457 problem, in a shape that depends on no
/// web framework (the library also runs in workers): the members serialize, with
/// System.Text.Json, to an <c>application/problem+json</c> body, and map one to one onto
/// ASP.NET Core's <c>ProblemDetails</c>. <see cref="Extensions"/> carries <c>errorCode</c> (and
/// <c>provider</c>, <c>integrationId</c> when known); nothing in it is ever a secret.
/// </summary>
public sealed class IntegrationProblemDetails
{
    /// <summary>The problem type; <c>about:blank</c>, since <c>errorCode</c> carries the library's code.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "about:blank";

    /// <summary>The HTTP reason phrase of <see cref="Status"/> (RFC 9457 asks for it with <c>about:blank</c>).</summary>
    [JsonPropertyName("title")]
    public required string Title { get; init; }

    /// <summary>The HTTP status code documented for the error code (see <see cref="StatusCodeFor"/>).</summary>
    [JsonPropertyName("status")]
    public required int Status { get; init; }

    /// <summary>The exception's message: for people, without secrets.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    /// <summary>The members beyond RFC 9457's own: <c>errorCode</c> always, <c>provider</c> and <c>integrationId</c> when known.</summary>
    [JsonExtensionData]
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The extension member that carries <see cref="IntegrationException.ErrorCode"/>.</summary>
    public const string ErrorCodeExtension = "errorCode";

    /// <summary>
    /// The HTTP status a web application should answer with for an error code: 400 for a
    /// malformed or unusable request (<c>integration_id_invalid</c>, <c>oauth_state_invalid</c>, ...),
    /// 403 for a refused consent, 404 for <c>integration_not_found</c>, 409 for a conflict with the
    /// current state (<c>oauth_state_replayed</c>, <c>integration_version_conflict</c>, ...), 424 when
    /// the provider refused (<c>integration_reauthorization_required</c>, a provider API error), 503
    /// when a dependency is unavailable (Redis, the token endpoint), and 500 for a fault of the
    /// application itself (<c>integration_id_missing</c>, <c>integration_host_not_allowed</c>,
    /// <c>integration_provider_not_registered</c>, <c>integration_credentials_key_unknown</c>) or an
    /// unknown code. A provider's own codes (<c>atlassian_site_selection_required</c>, ...) have
    /// the status its folder declares. The README's error-code table lists each.
    /// </summary>
    /// <param name="errorCode">An <see cref="IntegrationErrorCodes"/> value.</param>
    /// <returns>The status code.</returns>
    public static int StatusCodeFor(string errorCode) => errorCode switch
    {
        IntegrationErrorCodes.IdInvalid
            or IntegrationErrorCodes.RecordInvalid
            or IntegrationErrorCodes.CredentialsMissing
            or IntegrationErrorCodes.BaseUrlInvalid
            or IntegrationErrorCodes.BaseUrlNotAllowed
            or IntegrationErrorCodes.CredentialsInvalid
            or IntegrationErrorCodes.CredentialsDecryptionFailed
            or IntegrationErrorCodes.ProviderUnknown
            or IntegrationErrorCodes.AuthTypeUnsupported
            or IntegrationErrorCodes.OAuthNotConfigured
            or IntegrationErrorCodes.StateInvalid
            or IntegrationErrorCodes.StateExpired
            or IntegrationErrorCodes.StateProviderMismatch
            or IntegrationErrorCodes.CallbackInvalid
            or IntegrationErrorCodes.RecordTooLarge => 400,
        IntegrationErrorCodes.AuthorizationDenied
            or IntegrationErrorCodes.AccountMismatch => 403,
        IntegrationErrorCodes.NotFound => 404,
        IntegrationErrorCodes.VersionConflict
            or IntegrationErrorCodes.StateReplayed
            or IntegrationErrorCodes.Disabled => 409,
        IntegrationErrorCodes.ReauthorizationRequired
            or IntegrationErrorCodes.TokenRequestFailed
            or IntegrationErrorCodes.TokenResponseInvalid
            or IntegrationErrorCodes.ProviderRequestFailed
            or IntegrationErrorCodes.TokenEndpointRedirected => 424,
        IntegrationErrorCodes.TokenEndpointUnavailable
            or IntegrationErrorCodes.RefreshLockTimeout
            or IntegrationErrorCodes.LockUnavailable
            or IntegrationErrorCodes.StateStoreUnavailable
            or IntegrationErrorCodes.StoreWriteFailed
            or IntegrationErrorCodes.StoreUnavailable
            or IntegrationErrorCodes.RefreshLockLost => 503,
        IntegrationErrorCodes.IdMissing
            or IntegrationErrorCodes.CredentialsKeyUnknown
            or IntegrationErrorCodes.HostNotAllowed
            or IntegrationErrorCodes.ProviderNotRegistered => 500,
        _ => ProviderStatuses.GetValueOrDefault(errorCode, 500),
    };

    // The codes a provider raises, with the statuses its folder declares.
    private static readonly FrozenDictionary<string, int> ProviderStatuses = typeof(IntegrationProblemDetails).Assembly
        .GetCustomAttributes<ErrorStatusAttribute>()
        .ToFrozenDictionary(a => a.ErrorCode, a => a.Status, StringComparer.Ordinal);

    internal static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        424 => "Failed Dependency",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
}
