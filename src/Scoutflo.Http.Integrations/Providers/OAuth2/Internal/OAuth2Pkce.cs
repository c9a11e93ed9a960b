using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Scoutflo.Http.Integrations.Connections.Internal;

namespace Scoutflo.Http.Integrations.Providers.OAuth2.Internal;

/// <summary>
/// PKCE (RFC 7636, S256) without server-side storage: the verifier of an install is an HMAC of
/// its signed state under a key derived from the state-signing key. The state is single-use and
/// unique, so each install gets its own verifier; without the key nobody can compute it from
/// the state in the URL, and every replica sharing the signing key computes the same one at the
/// callback. Only the challenge is ever put in a URL.
/// </summary>
internal sealed class OAuth2Pkce
{
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("Scoutflo.Http.Integrations/OAuth2/pkce-verifier/v1");
    private readonly byte[] _key;

    public OAuth2Pkce(IOptions<ScoutfloIntegrationsOptions> options)
    {
        // Without a configured key the state itself is signed with a per-process key, so an
        // install can only complete on this process anyway: a per-process verifier key matches that.
        var signingKey = options.Value.StateSigningKey is { } configured
            ? ScoutfloIntegrationsOptionsValidator.DecodeKey(configured) ?? RandomNumberGenerator.GetBytes(32)
            : RandomNumberGenerator.GetBytes(32);

        // A key of its own (not the signing key itself), so that no verifier is ever a state MAC.
        _key = HMACSHA256.HashData(signingKey, Purpose);
    }

    internal OAuth2Pkce(byte[] key) => _key = HMACSHA256.HashData(key, Purpose);

    /// <summary>The verifier of one install: 43 base64url characters (256 bits), within RFC 7636's 43..128.</summary>
    public string Verifier(string state) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(state)));

    /// <summary>The S256 challenge: <c>base64url(SHA-256(ascii(verifier)))</c>.</summary>
    public static string Challenge(string verifier) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
