using System.Net.Http.Headers;
using System.Net.Http.Json;
using Polly.Timeout;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Posts to token endpoints through the named client <see cref="HttpClientName"/>, whose
/// resilience pipeline (<see cref="TokenEndpointResilience"/>, or the consumer's own) tries
/// 5xx, 408, 429 and timeouts again a bounded number of times. Whatever still fails that way is
/// <c>oauth_token_endpoint_unavailable</c>; any other 4xx is final at once (a retry cannot fix
/// it, and a refresh token must not be sent twice without need).
/// </summary>
internal sealed class TokenEndpointClient(IHttpClientFactory httpClientFactory)
{
    /// <summary>The named client the library's own token calls use; configure it to add handlers.</summary>
    public const string HttpClientName = "Scoutflo.Http.Integrations.TokenEndpoint";

    /// <summary>The provider of a token request, for the pipeline's retry log (never a field value).</summary>
    internal static readonly HttpRequestOptionsKey<string> ProviderKey = new("Scoutflo.Http.Integrations.TokenProvider");

    /// <summary>Sends the request; returns the JSON body of a 2xx answer.</summary>
    public async Task<JsonElement> PostAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        using var activity = StartExchange(request);
        try
        {
            return await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (IntegrationException ex)
        {
            IntegrationsActivities.Fail(activity, ex.ErrorCode);
            throw;
        }
    }

    /// <summary>
    /// Sends a GET with a bearer token (Atlassian accessible-resources) through the same guarded
    /// client: to <paramref name="endpoint"/> only, never following a redirect. The caller owns the response.
    /// </summary>
    public Task<HttpResponseMessage> GetWithBearerAsync(string provider, Uri endpoint, string accessToken, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, endpoint);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return SendGuardedAsync(message, provider, endpoint, cancellationToken);
    }

    private async Task<JsonElement> SendAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendGuardedAsync(CreateMessage(request), request.Provider, request.Endpoint, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return await ReadJsonAsync(request, response, cancellationToken).ConfigureAwait(false);
        }

        if (IsTransient(response.StatusCode))
        {
            throw Unavailable(request.Provider, $"HTTP {(int)response.StatusCode}", response.StatusCode, null);
        }

        throw await RejectedAsync(request, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="message"/> (and disposes it) to <paramref name="endpoint"/> only; transport failures become the library's errors.</summary>
    private async Task<HttpResponseMessage> SendGuardedAsync(HttpRequestMessage message, string provider, Uri endpoint, CancellationToken cancellationToken)
    {
        using (message)
        {
            // TokenEndpointGuard, the innermost handler, refuses the request if it is about to
            // leave for any other URL than this one (a handler above followed a redirect).
            message.Options.Set(TokenEndpointGuard.ExpectedUriKey, endpoint);
            message.Options.Set(ProviderKey, provider);
            var client = httpClientFactory.CreateClient(HttpClientName);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex)
            {
                throw Unavailable(provider, $"no answer within {ex.Timeout.TotalSeconds:0.#} s", null, ex);
            }
            catch (HttpRequestException ex)
            {
                throw Unavailable(provider, ex.HttpRequestError.ToString(), ex.StatusCode, ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient.Timeout, when a consumer's pipeline has no timeout of its own.
                throw Unavailable(provider, "no answer in time", null, ex);
            }

            // The guard already refuses these; kept here so that no pipeline can make a 3xx a success.
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var status = response.StatusCode;
                response.Dispose();
                throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenEndpointRedirected,
                    $"A {provider} token request was answered with a redirect (HTTP {(int)status}); it is not followed.", status);
            }

            return response;
        }
    }

    private static System.Diagnostics.Activity? StartExchange(TokenRequest request)
    {
        var parent = System.Diagnostics.Activity.Current;
        var activity = IntegrationsActivities.Start(IntegrationsActivities.TokenExchange, request.Provider,
            parent?.GetTagItem(IntegrationsActivities.IntegrationIdTag) as string);
        if (activity is not null)
        {
            if (parent?.GetTagItem(IntegrationsActivities.AccountIdTag) is string accountId)
            {
                activity.SetTag(IntegrationsActivities.AccountIdTag, accountId);
            }

            // The grant type names the flow (authorization_code, refresh_token); it is no secret.
            foreach (var (key, value) in request.Fields)
            {
                if (key == "grant_type")
                {
                    activity.SetTag("scoutflo.integration.grant_type", value);
                }
            }
        }

        return activity;
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
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", TokenRequest.BasicCredential(id, secret));
        }

        return message;
    }

    /// <summary>What the default pipeline tries again; anything else reaching the client is final.</summary>
    internal static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static OAuthTokenRequestException Unavailable(string provider, string failure, HttpStatusCode? status, Exception? inner) =>
        new(IntegrationErrorCodes.TokenEndpointUnavailable,
            $"The {provider} token endpoint kept failing ({failure}) after its retries.", status, innerException: inner);

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
        // Only the provider's error code and description are kept, and both are cleaned: a
        // provider may quote what it was sent (a code, a refresh token) in either.
        string? error = null;
        string? description = null;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            error = ProviderText.Clean(OAuthJson.String(body, "error"), request);
            description = ProviderText.Clean(OAuthJson.String(body, "error_description") ?? OAuthJson.String(body, "detail"), request);
        }
        catch (JsonException)
        {
        }

        // Sentry answers with a "detail" and no error code: it is still worth showing (and is the
        // only way to tell bad client credentials from a dead grant there).
        var detail = (error, description) switch
        {
            (not null, _) => $": {error}{(description is null ? "" : $" ({description})")}",
            (null, not null) => $": {description}",
            _ => string.Empty,
        };
        return new OAuthTokenRequestException(IntegrationErrorCodes.TokenRequestFailed,
            $"The {request.Provider} token endpoint refused the request with HTTP {(int)response.StatusCode}{detail}.", response.StatusCode, error);
    }
}
