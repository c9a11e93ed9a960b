using System.Buffers.Text;
using System.Security.Cryptography;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Signs OAuth states with HMAC-SHA256: <c>base64url(payload) "." base64url(mac)</c>. The MAC
/// is compared in constant time. Single use and expiry are the install service's (the nonce).
/// </summary>
internal sealed class OAuthStateProtector
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly byte[] _key;

    public OAuthStateProtector(IOptions<ScoutfloIntegrationsOptions> options, ILogger<OAuthStateProtector> logger)
    {
        if (options.Value.StateSigningKey is { } configured)
        {
            _key = ScoutfloIntegrationsOptionsValidator.DecodeKey(configured)
                ?? throw new InvalidOperationException($"{nameof(ScoutfloIntegrationsOptions.StateSigningKey)} must be base64 of at least {ScoutfloIntegrationsOptionsValidator.MinimumSigningKeyBytes} bytes.");
        }
        else
        {
            Log.EphemeralStateKey(logger);
            _key = RandomNumberGenerator.GetBytes(32);
        }
    }

    public string Protect(OAuthStatePayload payload)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, Json);
        return $"{Base64Url.EncodeToString(body)}.{Base64Url.EncodeToString(HMACSHA256.HashData(_key, body))}";
    }

    /// <summary>The payload of a state this process's key signed; <see cref="OAuthStateException"/> (<c>oauth_state_invalid</c>) otherwise.</summary>
    public OAuthStatePayload Unprotect(string? state)
    {
        var dot = state?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (state is null || dot <= 0 || state.Length > 8192)
        {
            throw Invalid("is missing or malformed");
        }

        byte[] body;
        byte[] mac;
        try
        {
            body = Base64Url.DecodeFromChars(state.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(state.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            throw Invalid("is malformed");
        }

        // The decoder forgives padding and whitespace; a state is accepted only as this library
        // writes it, so that one signed state has exactly one spelling.
        if (!IsCanonical(state, dot, body, mac))
        {
            throw Invalid("is not in its canonical encoding");
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, body)))
        {
            throw Invalid("has a signature this service did not make");
        }

        try
        {
            var payload = JsonSerializer.Deserialize<OAuthStatePayload>(body, Json);
            return payload is { Provider: not null, AccountId: not null, Nonce: not null, RedirectUri: not null }
                ? payload
                : throw Invalid("is incomplete");
        }
        catch (JsonException)
        {
            throw Invalid("is malformed");
        }
    }

    private static bool IsCanonical(string state, int dot, byte[] body, byte[] mac) =>
        state.Length == Base64Url.GetEncodedLength(body.Length) + 1 + Base64Url.GetEncodedLength(mac.Length)
        && state.AsSpan(0, dot).SequenceEqual(Base64Url.EncodeToString(body))
        && state.AsSpan(dot + 1).SequenceEqual(Base64Url.EncodeToString(mac));

    private static OAuthStateException Invalid(string why) =>
        new(IntegrationErrorCodes.StateInvalid, $"The OAuth state {why}.");
}
