namespace Scoutflo.Http.Integrations.Errors.Internal;

/// <summary>
/// The HTTP status of an error code that a provider raises, declared in the provider's folder
/// (<c>[assembly: ErrorStatus(IntegrationErrorCodes.X, 409)]</c>), so that the core status table
/// (<see cref="IntegrationProblemDetails.StatusCodeFor"/>) names no provider. An assembly
/// attribute rather than a registration at run time: the table is static, and so is this.
/// </summary>
/// <param name="errorCode">The error code.</param>
/// <param name="status">Its HTTP status.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class ErrorStatusAttribute(string errorCode, int status) : Attribute
{
    public string ErrorCode { get; } = errorCode;

    public int Status { get; } = status;
}
