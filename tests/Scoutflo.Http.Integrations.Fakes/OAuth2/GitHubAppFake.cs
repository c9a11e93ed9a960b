using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.OAuth2;

/// <summary>
/// A fake of GitHub App user access tokens (the web application flow with expiring tokens):
/// <c>ghu_</c> access tokens live 8 hours, <c>ghr_</c> refresh tokens 6 months, and every refresh
/// burns the refresh token and the access token it made. The unpleasant parts: the token
/// endpoint answers its errors with HTTP 200 (<c>error=bad_verification_code</c>,
/// <c>bad_refresh_verification_code</c>, <c>incorrect_client_credentials</c>), and answers
/// form-encoded unless the request's <c>Accept</c> asks for JSON. PKCE S256 is checked when the
/// authorize URL carried a challenge; scopes are not used (GitHub Apps have permissions), the
/// answer's <c>scope</c> is empty.
/// </summary>
public sealed class GitHubAppFake : OAuth2ProviderFake
{
    /// <summary>Starts the fake on a free loopback port.</summary>
    /// <param name="timeProvider">The clock token lifetimes are measured on.</param>
    public GitHubAppFake(TimeProvider timeProvider)
        : base("Iv23li" + Tokens.New(string.Empty, 14), Tokens.New(string.Empty, 40), timeProvider)
    {
    }

    /// <summary>Always 28800 s.</summary>
    protected override TimeSpan AccessTokenLifetime => TimeSpan.FromHours(8);

    /// <inheritdoc />
    protected override bool RotatesRefreshTokens => true;

    /// <inheritdoc />
    protected override string AccessTokenPrefix => "ghu_";

    /// <inheritdoc />
    protected override string RefreshTokenPrefix => "ghr_";

    /// <inheritdoc />
    protected override string? CheckAuthorize(IReadOnlyDictionary<string, string> parameters, out bool issueRefreshToken)
    {
        issueRefreshToken = true;
        return null;
    }

    /// <inheritdoc />
    protected override string DeadGrantError(string grantType) =>
        grantType == "refresh_token" ? "bad_refresh_verification_code" : "bad_verification_code";

    /// <inheritdoc />
    protected override ResponseMessage TokenError(IRequestMessage request, int status, string error, string description)
    {
        var github = error == "invalid_client" ? "incorrect_client_credentials" : error;
        return Write(request, new JsonObject
        {
            ["error"] = github,
            ["error_description"] = description,
            ["error_uri"] = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors",
        });
    }

    /// <inheritdoc />
    protected override ResponseMessage TokenSuccess(IRequestMessage request, JsonObject body)
    {
        body["scope"] = string.Empty;
        body["token_type"] = "bearer";
        return Write(request, body);
    }

    /// <inheritdoc />
    protected override void AddTokenFields(JsonObject body, bool refreshIssued)
    {
        if (refreshIssued)
        {
            body["refresh_token_expires_in"] = 15897600;
        }
    }

    // Always 200; JSON only when asked for.
    private static ResponseMessage Write(IRequestMessage request, JsonObject body)
    {
        if (FakeHttp.Header(request, "Accept") is { } accept && accept.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return FakeHttp.Json(200, body);
        }

        var form = string.Join('&', body.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value?.ToString() ?? string.Empty)}"));
        return FakeHttp.Text(200, form, "application/x-www-form-urlencoded; charset=utf-8");
    }
}
