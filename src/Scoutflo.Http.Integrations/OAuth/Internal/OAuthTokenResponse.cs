namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>A token endpoint's answer, reduced to what the library uses; <see cref="Body"/> keeps the provider's extras.</summary>
internal sealed record OAuthTokenResponse(
    string AccessToken,
    string? RefreshToken,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> Scopes,
    JsonElement Body)
{
    // Tokens are secrets: a record's generated ToString would print them.
    public override string ToString() =>
        $"OAuthTokenResponse {{ ExpiresAt = {ExpiresAt:O}, HasRefreshToken = {RefreshToken is not null}, Scopes = [{string.Join(' ', Scopes)}] }}";
}
