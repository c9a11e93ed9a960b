using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// The rotation journal: the tokens a refresh received, written to the shared cache (Redis, or
/// the in-memory default) under <c>integration:{provider}:{integration_id}:app_user:{account_id}:rotation</c>
/// (next to the grant's refresh lock) before the store write, and removed once the store holds
/// them. When the store write fails (store down, a conflict that does not converge, a crash in
/// between), the provider has already spent the old refresh token: the next refresh in any
/// process that finds the store still holding that old token adopts the journal instead of
/// spending it again. The old token is kept as a SHA-256 fingerprint only.
/// </summary>
internal static class RotationJournal
{
    public static string Key(Integration grantOwner, OAuthTokenSlot slot) =>
        TokenKeys.Rotation(grantOwner.Provider, grantOwner.Id, grantOwner.AccountId, slot == OAuthTokenSlot.Primary ? "rotation" : slot.Name + "_rotation");

    public static string Serialize(string previousRefreshToken, OAuthTokenResponse tokens, string rotatedRefreshToken) =>
        JsonSerializer.Serialize(new Entry
        {
            From = Fingerprint(previousRefreshToken),
            AccessToken = tokens.AccessToken,
            RefreshToken = rotatedRefreshToken,
            ExpiresAt = tokens.ExpiresAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        });

    /// <summary>The journal entry, or <see langword="null"/> when the value is not one (never written by this library).</summary>
    public static Entry? Parse(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<Entry>(value) is { From: not null, AccessToken: not null, RefreshToken: not null } entry ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool Follows(Entry entry, string? storedRefreshToken) =>
        storedRefreshToken is not null && string.Equals(entry.From, Fingerprint(storedRefreshToken), StringComparison.Ordinal);

    private static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>One journaled rotation.</summary>
    internal sealed class Entry
    {
        [JsonPropertyName("from")]
        public string? From { get; init; }

        [JsonPropertyName("access_token")]
        public string? AccessToken { get; init; }

        [JsonPropertyName("refresh_token")]
        public string? RefreshToken { get; init; }

        [JsonPropertyName("expires_at")]
        public string? ExpiresAt { get; init; }

        public DateTimeOffset? Expiry =>
            ExpiresAt is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

        public override string ToString() => "RotationJournal.Entry";
    }
}
