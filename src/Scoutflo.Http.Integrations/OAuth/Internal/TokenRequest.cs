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
    // The fields hold secrets (client secret, code, refresh token).
    public override string ToString() => $"TokenRequest {{ Provider = {Provider}, Endpoint = {Endpoint} }}";
}

internal enum TokenRequestFormat
{
    Json,
    Form,
}
