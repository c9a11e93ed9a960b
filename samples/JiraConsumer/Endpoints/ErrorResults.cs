using Scoutflo.Http.Integrations;

namespace JiraConsumer.Endpoints;

/// <summary>The library's error codes as HTTP problems: the code says what the caller can do.</summary>
internal static class ErrorResults
{
    public static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (IntegrationException ex)
        {
            return Results.Problem(
                title: ex.ErrorCode,
                detail: ex.Message,
                statusCode: StatusFor(ex.ErrorCode),
                extensions: new Dictionary<string, object?> { ["errorCode"] = ex.ErrorCode });
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status)
        {
            return Results.Problem(title: "upstream_error", detail: $"Jira answered {(int)status}.", statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static int StatusFor(string errorCode) => errorCode switch
    {
        IntegrationErrorCodes.NotFound => StatusCodes.Status404NotFound,
        IntegrationErrorCodes.ReauthorizationRequired => StatusCodes.Status409Conflict,
        IntegrationErrorCodes.AccountMismatch => StatusCodes.Status403Forbidden,
        IntegrationErrorCodes.TokenEndpointUnavailable or IntegrationErrorCodes.RefreshLockTimeout
            or IntegrationErrorCodes.StoreUnavailable or IntegrationErrorCodes.LockUnavailable
            or IntegrationErrorCodes.StateStoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };
}
