using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using Scoutflo.Http.Integrations.Fakes.Sentry.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Sentry;

public sealed partial class SentryFake
{
    private async Task<ResponseMessage> TokenAsync(IRequestMessage request, string installationId)
    {
        var parameters = BodyParameters(request);
        var grantType = parameters.GetValueOrDefault("grant_type");
        if (await BeginTokenRequestAsync(grantType, status => FakeHttp.Text(status, "<h1>Server Error</h1>", "text/html; charset=utf-8")).ConfigureAwait(false) is { } faulted)
        {
            return faulted;
        }

        if (parameters.GetValueOrDefault("client_id") != _options.ClientId
            || parameters.GetValueOrDefault("client_secret") != _options.ClientSecret)
        {
            return Detail(401, "Invalid Client ID / Secret pair");
        }

        lock (_gate)
        {
            if (!_installations.TryGetValue(installationId, out var installation))
            {
                return NotFound();
            }

            return grantType switch
            {
                "authorization_code" => ExchangeCode(installation, parameters.GetValueOrDefault("code")),
                "refresh_token" => Refresh(installation, parameters.GetValueOrDefault("refresh_token")),
                _ => Detail(400, "Invalid grant_type"),
            };
        }
    }

    /// <summary>Sentry's API accepts JSON and form bodies alike.</summary>
    private static Dictionary<string, string> BodyParameters(IRequestMessage request)
    {
        if (FakeHttp.JsonBody(request) is { } json)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in json)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    result[name] = text;
                }
            }

            return result;
        }

        return FakeHttp.FormBody(request);
    }

    private static ResponseMessage FieldRequired(string field) =>
        FakeHttp.Json(400, new JsonObject { [field] = new JsonArray("This field is required.") });

    /// <summary>Caller holds the lock.</summary>
    private ResponseMessage ExchangeCode(SentryInstallationState installation, string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return FieldRequired("code");
        }

        if (!_grants.TryGetValue(code, out var grant) || grant.Used || grant.Installation != installation)
        {
            return Detail(401, EchoRefusedGrant ? $"Could not find grant {code} for installation." : "Could not find grant for installation.");
        }

        if (_time.GetUtcNow() >= grant.ExpiresAt)
        {
            return Detail(401, "Grant has already expired.");
        }

        grant.Used = true;
        return IssueToken(installation);
    }

    /// <summary>Caller holds the lock.</summary>
    private ResponseMessage Refresh(SentryInstallationState installation, string? refreshToken)
    {
        if (string.IsNullOrEmpty(refreshToken))
        {
            return FieldRequired("refresh_token");
        }

        if (!_byRefresh.TryGetValue(refreshToken, out var old) || old.Deleted || old.Installation != installation)
        {
            return Detail(401, EchoRefusedGrant ? $"Invalid token: {refreshToken}" : "Invalid token");
        }

        // Sentry deletes the old token row: its access token dies now, not at expiresAt.
        old.Deleted = true;
        return IssueToken(installation);
    }

    /// <summary>Caller holds the lock.</summary>
    private ResponseMessage IssueToken(SentryInstallationState installation)
    {
        var now = _time.GetUtcNow();
        var token = new SentryToken(
            (_nextTokenId++).ToString(CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            installation,
            now,
            now + _options.TokenLifetime);
        _byAccess[token.Token] = token;
        _byRefresh[token.RefreshToken] = token;

        return FakeHttp.Json(201, new JsonObject
        {
            ["id"] = token.Id,
            ["token"] = token.Token,
            ["refreshToken"] = token.RefreshToken,
            ["dateCreated"] = FakeHttp.Iso8601(token.CreatedAt),
            ["expiresAt"] = FakeHttp.Iso8601(token.ExpiresAt),
            ["state"] = null,
            ["application"] = null,
            ["userId"] = installation.UserId,
            ["scopes"] = new JsonArray([.. _options.Scopes.Select(s => (JsonNode?)JsonValue.Create(s))]),
        });
    }
}
