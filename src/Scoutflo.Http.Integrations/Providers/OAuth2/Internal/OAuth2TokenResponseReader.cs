using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.OAuth2.Internal;

/// <summary>
/// Reads a token endpoint's 2xx JSON answer with the configured field names, under the same
/// rules as the built-in providers: a token type present must be an accepted one; the lifetime
/// follows <see cref="OAuthJson.Lifetime"/>. An answer that is an error (GitHub answers HTTP 200
/// with <c>error</c>) is the refusal it reports.
/// </summary>
internal static class OAuth2TokenResponseReader
{
    public static OAuthTokenResponse Read(string provider, OAuth2ProviderOptions options, TokenRequest request, JsonElement body, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw OAuthJson.Invalid(provider, "is not a JSON object");
        }

        var fields = options.TokenResponse;
        var access = OAuthJson.String(body, fields.AccessTokenField);
        if (access is null && OAuthJson.String(body, "error") is { } error)
        {
            // Only the cleaned code and description: a provider may quote what it was sent.
            var code = ProviderText.Clean(error, request);
            var description = ProviderText.Clean(OAuthJson.String(body, "error_description"), request);
            throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenRequestFailed,
                $"The {provider} token endpoint refused the request with HTTP 200: {code}{(description is null ? "" : $" ({description})")}.",
                HttpStatusCode.OK, code);
        }

        if (access is null)
        {
            throw OAuthJson.Invalid(provider, $"has no '{fields.AccessTokenField}'");
        }

        OAuthJson.CheckTokenType(provider, body, fields.TokenTypeField, [.. fields.AcceptedTokenTypes]);
        var lifetime = OAuthJson.Lifetime(provider, body, fields.ExpiresInField);
        return new OAuthTokenResponse(access, OAuthJson.String(body, fields.RefreshTokenField), lifetime is { } l ? now + l : null,
            Scopes(body, fields.ScopeField, options.ScopeSeparator), body.Clone());
    }

    private static List<string> Scopes(JsonElement body, string field, string separator)
    {
        if (!body.TryGetProperty(field, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [.. value.GetString()!.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            JsonValueKind.Array => [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Where(s => s.Length > 0)],
            _ => [],
        };
    }
}
