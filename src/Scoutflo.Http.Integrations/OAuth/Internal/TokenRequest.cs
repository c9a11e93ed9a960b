namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>One call to a token endpoint, in the shape the provider wants.</summary>
/// <param name="Provider">The provider, for errors and logs.</param>
/// <param name="Endpoint">The token endpoint.</param>
/// <param name="Fields">The body fields (grant type, code or refresh token, ...).</param>
/// <param name="Format">JSON (Atlassian, Sentry) or form-encoded (Slack).</param>
/// <param name="BasicClientCredentials">Client id and secret sent as HTTP Basic; <see langword="null"/> when they are in <paramref name="Fields"/>.</param>
internal sealed record TokenRequest(
    string Provider,
    Uri Endpoint,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    TokenRequestFormat Format,
    (string ClientId, string ClientSecret)? BasicClientCredentials = null)
{
    /// <summary>Fields that name the flow or the app, not a secret.</summary>
    private static readonly HashSet<string> PublicFields = new(StringComparer.Ordinal) { "grant_type", "client_id", "redirect_uri", "scope" };

    /// <summary>Every secret this request carries (client secret, code, refresh token, the Basic credential), to keep out of provider text.</summary>
    public IEnumerable<string> SecretValues()
    {
        foreach (var (key, value) in Fields)
        {
            if (!PublicFields.Contains(key))
            {
                yield return value;
            }
        }

        if (BasicClientCredentials is var (id, secret))
        {
            yield return secret;
            yield return BasicCredential(id, secret);
        }
    }

    /// <summary>The value of the HTTP Basic header (RFC 6749 2.3.1: each part form-encoded first).</summary>
    public static string BasicCredential(string clientId, string clientSecret) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}"));

    // The fields hold secrets (client secret, code, refresh token).
    public override string ToString() => $"TokenRequest {{ Provider = {Provider}, Endpoint = {Endpoint} }}";
}

internal enum TokenRequestFormat
{
    Json,
    Form,
}
