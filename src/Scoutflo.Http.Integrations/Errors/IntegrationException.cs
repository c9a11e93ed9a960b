namespace Scoutflo.Http.Integrations;

/// <summary>
/// A failure the caller can act on. <see cref="ErrorCode"/> is a stable snake_case code (see
/// <see cref="IntegrationErrorCodes"/>); the message is for people and never contains a secret.
/// </summary>
public class IntegrationException : Exception
{
    /// <summary>Creates an exception with an error code and a message.</summary>
    /// <param name="errorCode">A stable snake_case code from <see cref="IntegrationErrorCodes"/>.</param>
    /// <param name="message">A description for people; it must not contain a secret.</param>
    /// <param name="innerException">The cause, if any.</param>
    public IntegrationException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        ErrorCode = errorCode;
    }

    /// <summary>The stable, snake_case code of this failure.</summary>
    public string ErrorCode { get; }

    /// <summary>The integration the failure concerns, when there is one.</summary>
    public string? IntegrationId { get; init; }

    /// <summary>The provider the failure concerns, when known (<c>jira</c>, <c>slack</c>, ...).</summary>
    public string? Provider { get; init; }

    /// <summary>
    /// This failure as an RFC 9457 problem with the status documented for <see cref="ErrorCode"/>
    /// (<see cref="IntegrationProblemDetails.StatusCodeFor"/>), the message as <c>detail</c>, and
    /// <c>errorCode</c>, <c>provider</c> and <c>integrationId</c> as extension members. In ASP.NET
    /// Core: <c>Results.Json(problem, statusCode: problem.Status, contentType: "application/problem+json")</c>.
    /// </summary>
    /// <returns>A new problem; it contains no secret.</returns>
    public IntegrationProblemDetails ToProblemDetails()
    {
        var status = IntegrationProblemDetails.StatusCodeFor(ErrorCode);
        var problem = new IntegrationProblemDetails
        {
            Title = IntegrationProblemDetails.ReasonPhrase(status),
            Status = status,
            Detail = Message,
        };
        problem.Extensions[IntegrationProblemDetails.ErrorCodeExtension] = ErrorCode;
        if (Provider is not null)
        {
            problem.Extensions["provider"] = Provider;
        }

        if (IntegrationId is not null)
        {
            problem.Extensions["integrationId"] = IntegrationId;
        }

        AddProblemExtensions(problem.Extensions);
        return problem;
    }

    /// <summary>Adds a subclass's own members to <see cref="ToProblemDetails"/>; they must not be secrets.</summary>
    /// <param name="extensions">The problem's extension members.</param>
    protected virtual void AddProblemExtensions(IDictionary<string, object?> extensions)
    {
    }
}
