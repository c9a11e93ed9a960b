using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using Scoutflo.Http.Integrations.Fakes.Slack.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Slack;

public sealed partial class SlackFake
{
    private static readonly string[] ConversationReadScopes = ["channels:read", "groups:read", "im:read", "mpim:read"];

    private ResponseMessage Api(IRequestMessage request, string method)
    {
        var parameters = Parameters(request);
        (string[] Needed, Func<SlackAccessToken, ResponseMessage> Handler)? route = method switch
        {
            "auth.test" => ([], AuthTest),
            "chat.postMessage" => (["chat:write"], token => PostMessage(request, parameters, token)),
            "conversations.list" => (ConversationReadScopes, token => ConversationsList(parameters)),
            _ => null,
        };

        if (route is not { } match)
        {
            return SlackError("unknown_method");
        }

        var token = FakeHttp.BearerToken(request) ?? parameters.GetValueOrDefault("token");
        if (Authenticate(token, out var access) is { } failure)
        {
            return failure;
        }

        if (match.Needed.Length > 0 && !match.Needed.Any(access!.Scopes.Contains))
        {
            return WithScopeHeaders(SlackError("missing_scope", new JsonObject
            {
                ["needed"] = match.Needed[0],
                ["provided"] = string.Join(',', access.Scopes),
            }), access, match.Needed);
        }

        return WithScopeHeaders(match.Handler(access!), access!, match.Needed);
    }

    /// <summary>Null when the token is usable, else the Slack error response.</summary>
    private ResponseMessage? Authenticate(string? value, out SlackAccessToken? token)
    {
        token = null;
        if (string.IsNullOrEmpty(value))
        {
            return SlackError("not_authed");
        }

        lock (_gate)
        {
            if (!_accessTokens.TryGetValue(value, out token))
            {
                return SlackError("invalid_auth");
            }

            if (token.Revoked)
            {
                return SlackError("token_revoked");
            }

            if (token.Inactive || TeamInactive)
            {
                return SlackError("account_inactive");
            }

            if (token.ExpiresAt is { } expiresAt && _time.GetUtcNow() >= expiresAt)
            {
                return SlackError("token_expired");
            }

            return null;
        }
    }

    private static ResponseMessage WithScopeHeaders(ResponseMessage response, SlackAccessToken token, string[] accepted)
    {
        response.AddHeader("X-OAuth-Scopes", string.Join(',', token.Scopes));
        response.AddHeader("X-Accepted-OAuth-Scopes", string.Join(',', accepted));
        return response;
    }

    private ResponseMessage AuthTest(SlackAccessToken token)
    {
        var bot = token.Family.Kind == SlackTokenKind.Bot;
        var body = new JsonObject
        {
            ["ok"] = true,
            ["url"] = $"https://{_options.Team.Name.ToLowerInvariant().Replace(' ', '-')}.slack.com/",
            ["team"] = _options.Team.Name,
            ["user"] = bot ? "scoutflo_bot" : "installer",
            ["team_id"] = _options.Team.Id,
            ["user_id"] = token.Family.UserId,
            ["is_enterprise_install"] = false,
        };
        if (bot)
        {
            body["bot_id"] = "B0FAKEBOT1";
        }

        return FakeHttp.Json(200, body);
    }

    private ResponseMessage PostMessage(IRequestMessage request, Dictionary<string, string> parameters, SlackAccessToken token)
    {
        var channelArg = parameters.GetValueOrDefault("channel");
        var channel = _options.Channels.FirstOrDefault(c =>
            c.Id == channelArg || "#" + c.Name == channelArg || c.Name == channelArg);
        if (channel is null)
        {
            return SlackError("channel_not_found");
        }

        var text = parameters.GetValueOrDefault("text");
        if (string.IsNullOrEmpty(text) && string.IsNullOrEmpty(parameters.GetValueOrDefault("blocks")))
        {
            return SlackError("no_text");
        }

        var bot = token.Family.Kind == SlackTokenKind.Bot;
        var seconds = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var ts = $"{seconds}.{(Interlocked.Increment(ref _messageCounter) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture)}";
        lock (_gate)
        {
            _messages.Add(new SlackFakeMessage(channel.Id, text, ts, bot ? "bot" : "user", FakeHttp.BodyText(request)));
        }

        var message = new JsonObject { ["type"] = "message", ["text"] = text ?? string.Empty, ["user"] = token.Family.UserId, ["ts"] = ts };
        if (bot)
        {
            message["bot_id"] = "B0FAKEBOT1";
            message["app_id"] = _options.AppId;
        }

        return FakeHttp.Json(200, new JsonObject { ["ok"] = true, ["channel"] = channel.Id, ["ts"] = ts, ["message"] = message });
    }

    private ResponseMessage ConversationsList(Dictionary<string, string> parameters)
    {
        var limit = int.TryParse(parameters.GetValueOrDefault("limit"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
            ? Math.Clamp(l, 1, 1000)
            : 100;
        var offset = 0;
        var cursor = parameters.GetValueOrDefault("cursor");
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
                if (!text.StartsWith("next:", StringComparison.Ordinal)
                    || !int.TryParse(text["next:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out offset))
                {
                    return SlackError("invalid_cursor");
                }
            }
            catch (FormatException)
            {
                return SlackError("invalid_cursor");
            }
        }

        var page = _options.Channels.Skip(offset).Take(limit).ToList();
        var channels = new JsonArray();
        foreach (var channel in page)
        {
            channels.Add(new JsonObject
            {
                ["id"] = channel.Id,
                ["name"] = channel.Name,
                ["is_channel"] = true,
                ["is_private"] = false,
                ["is_archived"] = false,
                ["is_member"] = true,
            });
        }

        var next = offset + page.Count < _options.Channels.Count
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"next:{(offset + page.Count).ToString(CultureInfo.InvariantCulture)}"))
            : string.Empty;
        return FakeHttp.Json(200, new JsonObject
        {
            ["ok"] = true,
            ["channels"] = channels,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = next },
        });
    }

    private ResponseMessage Download(IRequestMessage request, string fileId)
    {
        // Assumption: a refused download reports like the Web API (HTTP 200 JSON ok:false).
        if (Authenticate(FakeHttp.BearerToken(request), out var token) is { } failure)
        {
            return failure;
        }

        if (!token!.Scopes.Contains("files:read"))
        {
            return SlackError("missing_scope", new JsonObject { ["needed"] = "files:read", ["provided"] = string.Join(',', token.Scopes) });
        }

        return FakeHttp.Bytes(200, FileContent(fileId), "application/octet-stream",
        [
            KeyValuePair.Create("Content-Disposition", $"attachment; filename=\"{fileId}.bin\""),
        ]);
    }
}
