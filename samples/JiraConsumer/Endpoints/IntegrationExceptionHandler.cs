using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Scoutflo.Http.Integrations;

namespace JiraConsumer.Endpoints;

/// <summary>
/// Every <see cref="IntegrationException"/> of every endpoint as RFC 9457 problem details, with
/// the status the library documents for its code. A browser (the install flow: consent, callback,
/// site choice) gets the same problem as a readable page instead of JSON or a stack trace.
/// </summary>
internal sealed class IntegrationExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not IntegrationException error)
        {
            return false;
        }

        var problem = error.ToProblemDetails();
        var result = WantsHtml(httpContext.Request)
            ? Results.Content(Page(problem), "text/html; charset=utf-8", statusCode: problem.Status)
            : Results.Json(problem, statusCode: problem.Status, contentType: "application/problem+json");
        await result.ExecuteAsync(httpContext);
        return true;
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Page(IntegrationProblemDetails problem)
    {
        var code = problem.Extensions[IntegrationProblemDetails.ErrorCodeExtension] as string;
        var advice = code switch
        {
            IntegrationErrorCodes.AuthorizationDenied => "You declined access. Nothing was connected; you can start again whenever you like.",
            IntegrationErrorCodes.StateReplayed => "This sign-in link was already used. Start the connection again from the app.",
            IntegrationErrorCodes.StateExpired => "This sign-in link is too old. Start the connection again from the app.",
            _ => "Start the connection again from the app; if it keeps failing, tell us the error code below.",
        };
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{Encode(problem.Title)}</title></head>
            <body>
            <h1 id="problem-title">The connection could not be completed</h1>
            <p id="problem-advice">{Encode(advice)}</p>
            <p id="problem-detail">{Encode(problem.Detail ?? string.Empty)}</p>
            <p>Error code: <code id="problem-code">{Encode(code ?? string.Empty)}</code> ({problem.Status} {Encode(problem.Title)})</p>
            </body></html>
            """;
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
