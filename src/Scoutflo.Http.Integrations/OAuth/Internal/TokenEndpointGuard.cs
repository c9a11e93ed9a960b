namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// The innermost handler of the token-endpoint client, just above the primary handler: a token
/// request carries a client secret with a code or a refresh token, so it may only go to the URL
/// the library built for it. A request for any other URL (a handler above followed a redirect,
/// or rewrote the target) is refused before it leaves; a 3xx answer is refused rather than
/// handed up to a handler that might follow it; an answer for another URL (a primary handler of
/// a kind the library cannot switch off followed a redirect) is not believed.
/// </summary>
internal sealed class TokenEndpointGuard(bool primaryMayRedirect) : DelegatingHandler
{
    /// <summary>The URL the library built the request for; a request without it is not the library's.</summary>
    internal static readonly HttpRequestOptionsKey<Uri> ExpectedUriKey = new("Scoutflo.Http.Integrations.TokenEndpointUri");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var provider = request.Options.TryGetValue(TokenEndpointClient.ProviderKey, out var name) ? name : "(unknown)";
        if (!request.Options.TryGetValue(ExpectedUriKey, out var expected) || !SameUrl(request.RequestUri, expected))
        {
            throw Redirected(provider, $"was about to be sent to {Origin(request.RequestUri)}, not to the endpoint it was built for; it was not sent", null);
        }

        if (primaryMayRedirect)
        {
            throw Redirected(provider, "was not sent: the token client's primary handler follows redirects and had already been used, so that could not be switched off", null);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var status = response.StatusCode;
        if ((int)status is >= 300 and < 400)
        {
            response.Dispose();
            throw Redirected(provider, $"was answered with a redirect (HTTP {(int)status}); it is not followed", status);
        }

        if (response.RequestMessage?.RequestUri is { } answered && !SameUrl(answered, expected))
        {
            response.Dispose();
            throw Redirected(provider, $"was redirected below every handler, to {Origin(answered)}; that answer is not used", status);
        }

        return response;
    }

    internal static bool SameUrl(Uri? actual, Uri expected) =>
        actual is { IsAbsoluteUri: true } && string.Equals(actual.AbsoluteUri, expected.AbsoluteUri, StringComparison.Ordinal);

    private static string Origin(Uri? uri) => uri is { IsAbsoluteUri: true } ? uri.GetLeftPart(UriPartial.Authority) : "(no absolute URL)";

    private static OAuthTokenRequestException Redirected(string provider, string what, HttpStatusCode? status) =>
        new(IntegrationErrorCodes.TokenEndpointRedirected, $"A {provider} token request {what}.", status);
}
