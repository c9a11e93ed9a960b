namespace Scoutflo.Http.Integrations;

/// <summary>
/// A token endpoint refused a request (<c>oauth_token_request_failed</c>), or kept failing
/// (<c>oauth_token_endpoint_unavailable</c>), or answered with an unusable body
/// (<c>oauth_token_response_invalid</c>). Carries the provider's error code, never a token.
/// </summary>
public sealed class OAuthTokenRequestException : IntegrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">One of the <c>oauth_token_*</c> codes.</param>
    /// <param name="message">A description without secrets.</param>
    /// <param name="statusCode">The HTTP status of the last answer, if there was one.</param>
    /// <param name="providerError">The provider's error code (e.g. <c>invalid_grant</c>), if it sent one.</param>
    /// <param name="innerException">The cause, if any.</param>
    public OAuthTokenRequestException(string errorCode, string message, HttpStatusCode? statusCode = null, string? providerError = null, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
        StatusCode = statusCode;
        ProviderError = providerError;
    }

    /// <summary>The HTTP status of the last answer, if there was one.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The provider's error code (<c>invalid_grant</c>, <c>invalid_client</c>, <c>invalid_refresh_token</c>, ...), if it sent one.</summary>
    public string? ProviderError { get; }

    /// <inheritdoc />
    protected override void AddProblemExtensions(IDictionary<string, object?> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        if (ProviderError is not null)
        {
            extensions["providerError"] = ProviderError;
        }
    }
}
