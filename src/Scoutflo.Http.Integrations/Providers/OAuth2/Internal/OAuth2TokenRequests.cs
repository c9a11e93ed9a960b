using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.OAuth2.Internal;

/// <summary>The two token requests (RFC 6749 4.1.3 and 6), form-encoded, with the client authenticated as configured.</summary>
internal static class OAuth2TokenRequests
{
    public static TokenRequest Code(string provider, OAuth2ProviderOptions options, string code, Uri redirectUri, string? codeVerifier)
    {
        List<KeyValuePair<string, string>> fields =
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri.AbsoluteUri),
        ];
        if (codeVerifier is not null)
        {
            fields.Add(new("code_verifier", codeVerifier));
        }

        return Create(provider, options, fields);
    }

    public static TokenRequest Refresh(string provider, OAuth2ProviderOptions options, string refreshToken) =>
        Create(provider, options, [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]);

    private static TokenRequest Create(string provider, OAuth2ProviderOptions options, List<KeyValuePair<string, string>> fields)
    {
        var endpoint = options.TokenUrl ?? throw new InvalidOperationException("TokenUrl is validated at start-up.");
        if (options.ClientAuthentication == OAuth2ClientAuthentication.BasicHeader)
        {
            return new TokenRequest(provider, endpoint, fields, TokenRequestFormat.Form, (options.ClientId, options.ClientSecret));
        }

        fields.Add(new("client_id", options.ClientId));
        fields.Add(new("client_secret", options.ClientSecret));
        return new TokenRequest(provider, endpoint, fields, TokenRequestFormat.Form);
    }
}
