using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Posts to token endpoints. 5xx, 408, 429 and timeouts are tried again a bounded number of
/// times with doubling delays; any other 4xx is final at once (a retry cannot fix it, and a
/// refresh token must not be sent twice without need).
/// </summary>
internal sealed class TokenEndpointClient(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<ScoutfloIntegrationsOptions> options,
    TimeProvider timeProvider,
    ILogger<TokenEndpointClient> logger)
{
    /// <summary>The named client the library's own token calls use; configure it to add handlers.</summary>
    public const string HttpClientName = "Scoutflo.Http.Integrations.TokenEndpoint";

    /// <summary>Sends the request; returns the JSON body of a 2xx answer.</summary>
    public async Task<JsonElement> PostAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var client = httpClientFactory.CreateClient(HttpClientName);
        for (var attempt = 0; ; attempt++)
        {
            var retryable = attempt < settings.TokenRequestRetries;
            using var timeout = new CancellationTokenSource(settings.TokenRequestTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            string failure;
            HttpStatusCode? status = null;
            try
            {
                using var message = CreateMessage(request);
                using var response = await client.SendAsync(message, linked.Token).ConfigureAwait(false);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return await ReadJsonAsync(request, response, linked.Token).ConfigureAwait(false);
                }

                if (!IsTransient(response.StatusCode))
                {
                    throw await RejectedAsync(request, response, linked.Token).ConfigureAwait(false);
                }

                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                failure = $"no answer within {settings.TokenRequestTimeout.TotalSeconds:0.#} s";
            }
            catch (HttpRequestException ex)
            {
                failure = ex.HttpRequestError.ToString();
            }

            if (!retryable)
            {
                throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenEndpointUnavailable,
                    $"The {request.Provider} token endpoint kept failing ({failure}) after {attempt + 1} attempt(s).", status);
            }

            var delay = settings.TokenRequestRetryDelay * Math.Pow(2, attempt);
            Log.TokenRequestRetry(logger, request.Provider, attempt + 1, failure, delay.TotalMilliseconds);
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static HttpRequestMessage CreateMessage(TokenRequest request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, request.Endpoint)
        {
            Content = request.Format == TokenRequestFormat.Json
                ? JsonContent.Create(request.Fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal))
                : new FormUrlEncodedContent(request.Fields),
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (request.BasicClientCredentials is var (id, secret))
        {
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", encoded);
        }

        return message;
    }

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static async Task<JsonElement> ReadJsonAsync(TokenRequest request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenResponseInvalid,
                $"The {request.Provider} token endpoint answered {(int)response.StatusCode} with a body that is not JSON.", response.StatusCode, innerException: ex);
        }
    }

    private static async Task<OAuthTokenRequestException> RejectedAsync(TokenRequest request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Only the provider's error code and description are kept: both are meant for clients
        // and carry no secret, unlike an echo of the request.
        string? error = null;
        string? description = null;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            error = OAuthJson.String(body, "error");
            description = OAuthJson.String(body, "error_description") ?? OAuthJson.String(body, "detail");
        }
        catch (JsonException)
        {
        }

        // Sentry answers with a "detail" and no error code: it is still worth showing (and is the
        // only way to tell bad client credentials from a dead grant there).
        var detail = (error, description) switch
        {
            (not null, _) => $": {error}{(description is null ? "" : $" ({Truncate(description)})")}",
            (null, not null) => $": {Truncate(description)}",
            _ => string.Empty,
        };
        return new OAuthTokenRequestException(IntegrationErrorCodes.TokenRequestFailed,
            $"The {request.Provider} token endpoint refused the request with HTTP {(int)response.StatusCode}{detail}.", response.StatusCode, error);
    }

    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "…";
}
