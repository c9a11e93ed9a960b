namespace Scoutflo.Http.Integrations;

/// <summary>
/// A provider's API answered a typed client's helper (e.g. <c>JiraClient.SearchAsync</c>)
/// with an error status (<c>integration_provider_request_failed</c>). Keeps the status and the
/// provider's own error messages (Jira's <c>errorMessages</c> and <c>errors</c>), which say what
/// was wrong (invalid JQL, an unknown issue); never a header or a credential.
/// </summary>
public sealed class IntegrationApiException : IntegrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">The provider whose API answered.</param>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    /// <param name="errorMessages">The provider's error messages, as it sent them.</param>
    /// <param name="fieldErrors">The provider's per-field errors (Jira's <c>errors</c>).</param>
    public IntegrationApiException(string provider, HttpStatusCode statusCode, IReadOnlyList<string> errorMessages, IReadOnlyDictionary<string, string> fieldErrors)
        : base(IntegrationErrorCodes.ProviderRequestFailed, Describe(provider, statusCode, errorMessages, fieldErrors))
    {
        ArgumentNullException.ThrowIfNull(errorMessages);
        ArgumentNullException.ThrowIfNull(fieldErrors);
        Provider = provider;
        StatusCode = statusCode;
        ErrorMessages = errorMessages;
        FieldErrors = fieldErrors;
    }

    /// <summary>The HTTP status the provider answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The provider's error messages (Jira's <c>errorMessages</c>); empty when it sent none.</summary>
    public IReadOnlyList<string> ErrorMessages { get; }

    /// <summary>The provider's per-field errors (Jira's <c>errors</c>, field name to message); empty when it sent none.</summary>
    public IReadOnlyDictionary<string, string> FieldErrors { get; }

    /// <inheritdoc />
    protected override void AddProblemExtensions(IDictionary<string, object?> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        extensions["providerStatus"] = (int)StatusCode;
        extensions["providerErrors"] = ErrorMessages.Concat(FieldErrors.Select(e => $"{e.Key}: {e.Value}")).ToArray();
    }

    private static string Describe(string provider, HttpStatusCode statusCode, IReadOnlyList<string>? errorMessages, IReadOnlyDictionary<string, string>? fieldErrors)
    {
        var details = (errorMessages ?? []).Concat((fieldErrors ?? new Dictionary<string, string>()).Select(e => $"{e.Key}: {e.Value}")).ToList();
        var head = $"The {provider} API answered {(int)statusCode} ({statusCode})";
        return details.Count == 0 ? head + "." : $"{head}: {string.Join("; ", details)}";
    }
}
