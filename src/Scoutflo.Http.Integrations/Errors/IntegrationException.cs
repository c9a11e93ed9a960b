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
}
