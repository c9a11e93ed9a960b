using Microsoft.Extensions.Http.Logging;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.Http.Internal;

/// <summary>
/// Replaces IHttpClientFactory's default request logging on the clients that carry credentials.
/// The default one's trace-level header lines print "*" for each value but keep the raw values
/// (the bearer token, the Basic credentials) in their structured state, which structured sinks
/// export. This one logs each attempt's method, origin and path (no query, no headers), status
/// and duration.
/// </summary>
internal sealed class HeaderlessHttpClientLogger(ILogger logger, string clientName) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.HttpAttempt(logger, clientName, request.Method.Method, Describe(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);
        }
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.HttpAttemptFailed(logger, clientName, request.Method.Method, Describe(request.RequestUri), exception.GetType().Name, elapsed.TotalMilliseconds);
        }
    }

    private static string Describe(Uri? uri) =>
        uri is { IsAbsoluteUri: true } ? string.Concat(ResolvedConnection.Origin(uri), uri.AbsolutePath) : "(relative)";
}
