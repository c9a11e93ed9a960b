using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.OAuth2;

/// <summary>
/// A fake of Google's OAuth 2.0 for web server apps: <c>ya29.</c> access tokens live 3599 s;
/// scopes are space-separated; a refresh token (<c>1//</c>) is issued only when the authorize URL
/// said <c>access_type=offline</c> and <c>prompt=consent</c> (Google gives one on a repeated
/// consent only when forced); refresh tokens do not rotate (a refresh answer carries none);
/// a revoked, spent or unknown grant is HTTP 400 <c>invalid_grant</c>, bad client credentials
/// 401 <c>invalid_client</c>; PKCE S256 is checked when the authorize URL carried a challenge;
/// a <c>scope</c> is required.
/// </summary>
public sealed class GoogleFake : OAuth2ProviderFake
{
    /// <summary>Starts the fake on a free loopback port.</summary>
    /// <param name="timeProvider">The clock token lifetimes are measured on.</param>
    public GoogleFake(TimeProvider timeProvider)
        : base(Tokens.Digits(12) + "-" + Tokens.New(string.Empty, 32).ToLowerInvariant() + ".apps.googleusercontent.com", "GOCSPX-" + Tokens.New(string.Empty, 28), timeProvider)
    {
    }

    /// <summary>3599 s, as Google answers.</summary>
    protected override TimeSpan AccessTokenLifetime => TimeSpan.FromSeconds(3599);

    /// <inheritdoc />
    protected override bool RotatesRefreshTokens => false;

    /// <inheritdoc />
    protected override string AccessTokenPrefix => "ya29.";

    /// <inheritdoc />
    protected override string RefreshTokenPrefix => "1//";

    /// <inheritdoc />
    protected override string? CheckAuthorize(IReadOnlyDictionary<string, string> parameters, out bool issueRefreshToken)
    {
        issueRefreshToken = parameters.GetValueOrDefault("access_type") == "offline"
            && (parameters.GetValueOrDefault("prompt") ?? string.Empty).Split(' ').Contains("consent");
        return string.IsNullOrWhiteSpace(parameters.GetValueOrDefault("scope")) ? "invalid_scope" : null;
    }

    /// <inheritdoc />
    protected override ResponseMessage TokenError(IRequestMessage request, int status, string error, string description) =>
        FakeHttp.Json(status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = error == "invalid_grant" ? "Token has been expired or revoked." : description,
        });

    /// <inheritdoc />
    protected override ResponseMessage TokenSuccess(IRequestMessage request, JsonObject body)
    {
        body["token_type"] = "Bearer";
        return FakeHttp.Json(200, body);
    }
}
