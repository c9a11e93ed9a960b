namespace Scoutflo.Http.Integrations.Providers.OAuth2.Internal;

/// <summary>The authorize URL of an install (RFC 6749 4.1.1, RFC 7636 4.3): a pure function of its inputs.</summary>
internal static class OAuth2AuthorizeUrl
{
    /// <summary>The parameters the library sets; the options' extra parameters cannot replace them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method",
    };

    /// <param name="options">The provider's options (authorize URL, client id, separator, extra parameters).</param>
    /// <param name="scopes">The scopes; none means no <c>scope</c> parameter.</param>
    /// <param name="redirectUri">The registered callback URL.</param>
    /// <param name="state">The signed state.</param>
    /// <param name="codeChallenge">The S256 challenge, or <see langword="null"/> without PKCE.</param>
    public static Uri Build(OAuth2ProviderOptions options, IReadOnlyList<string> scopes, Uri redirectUri, string state, string? codeChallenge)
    {
        var authorize = options.AuthorizeUrl ?? throw new InvalidOperationException("AuthorizeUrl is validated at start-up.");
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new("client_id", options.ClientId),
            new("redirect_uri", redirectUri.AbsoluteUri),
        };
        if (scopes.Count > 0)
        {
            pairs.Add(new("scope", string.Join(options.ScopeSeparator, scopes)));
        }

        pairs.Add(new("state", state));
        if (codeChallenge is not null)
        {
            pairs.Add(new("code_challenge", codeChallenge));
            pairs.Add(new("code_challenge_method", "S256"));
        }

        foreach (var (name, value) in options.ExtraAuthorizeParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!Reserved.Contains(name))
            {
                pairs.Add(new(name, value));
            }
        }

        // The configured URL may carry fixed parameters of its own (e.g. a tenant): they are kept.
        var existing = authorize.Query.TrimStart('?');
        var query = string.Join('&', pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return new UriBuilder(authorize) { Query = existing.Length == 0 ? query : $"{existing}&{query}" }.Uri;
    }
}
