namespace Scoutflo.Http.Integrations.Fakes.Slack;

/// <summary>How a <see cref="SlackFake"/> behaves. Every default is stated on its property.</summary>
public sealed class SlackFakeOptions
{
    /// <summary>The app's client id. Default <c>"1111111111.2222222222"</c>.</summary>
    public string ClientId { get; set; } = "1111111111.2222222222";

    /// <summary>The app's client secret. Default <c>"fake-slack-client-secret"</c>.</summary>
    public string ClientSecret { get; set; } = "fake-slack-client-secret";

    /// <summary>
    /// Registered redirect URLs; the authorize endpoint refuses any other (400, no redirect).
    /// Default empty: any absolute http(s) URL is accepted.
    /// </summary>
    public IList<string> RedirectUrls { get; } = [];

    /// <summary>The loopback port to listen on; null (default) picks a free one. A fixed port suits a sandbox with stable URLs.</summary>
    public int? Port { get; set; }

    /// <summary>The clock of every expiry. Default <see cref="TimeProvider.System"/>; tests pass a FakeTimeProvider.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Token rotation: when true (default) tokens are <c>xoxe.xoxb-</c>/<c>xoxe.xoxp-</c>, expire after
    /// <see cref="AccessTokenLifetime"/> and come with a refresh token each; when false they are
    /// long-lived <c>xoxb-</c>/<c>xoxp-</c> tokens without <c>refresh_token</c> or <c>expires_in</c>.
    /// </summary>
    public bool TokenRotation { get; set; } = true;

    /// <summary>Lifetime of rotating access tokens, returned as <c>expires_in</c>. Default 12 hours (43200 s).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Lifetime of authorization codes. Default 10 minutes.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The workspace the app is installed into. Default <c>T0FAKETEAM</c> "Scoutflo Test".</summary>
    public SlackFakeTeam Team { get; set; } = new("T0FAKETEAM", "Scoutflo Test");

    /// <summary>The Enterprise Grid org, or null (default) for a standalone workspace.</summary>
    public SlackFakeTeam? Enterprise { get; set; }

    /// <summary>The app id. Default <c>A0FAKEAPP1</c>.</summary>
    public string AppId { get; set; } = "A0FAKEAPP1";

    /// <summary>The bot user's id. Default <c>U0FAKEBOT1</c>.</summary>
    public string BotUserId { get; set; } = "U0FAKEBOT1";

    /// <summary>The id of the user who installs the app (the <c>authed_user</c>). Default <c>U0FAKEUSER</c>.</summary>
    public string InstallingUserId { get; set; } = "U0FAKEUSER";

    /// <summary>The workspace's channels. Default <c>C0GENERAL</c> "general" and <c>C0RANDOM1</c> "random".</summary>
    public IList<SlackFakeChannel> Channels { get; } =
    [
        new SlackFakeChannel("C0GENERAL", "general"),
        new SlackFakeChannel("C0RANDOM1", "random"),
    ];

    /// <summary>Size of the bytes served by <c>GET /files/download/{id}</c>. Default 3 MiB.</summary>
    public int DownloadSizeBytes { get; set; } = 3 * 1024 * 1024;

    /// <summary>A copy, so that changing these options after the fake started does not race with it.</summary>
    internal SlackFakeOptions Snapshot()
    {
        var copy = new SlackFakeOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            Port = Port,
            TimeProvider = TimeProvider,
            TokenRotation = TokenRotation,
            AccessTokenLifetime = AccessTokenLifetime,
            AuthorizationCodeLifetime = AuthorizationCodeLifetime,
            Team = Team,
            Enterprise = Enterprise,
            AppId = AppId,
            BotUserId = BotUserId,
            InstallingUserId = InstallingUserId,
            DownloadSizeBytes = DownloadSizeBytes,
        };
        foreach (var url in RedirectUrls)
        {
            copy.RedirectUrls.Add(url);
        }

        copy.Channels.Clear();
        foreach (var channel in Channels)
        {
            copy.Channels.Add(channel);
        }

        return copy;
    }
}

/// <summary>A Slack workspace or Enterprise Grid org.</summary>
/// <param name="Id">The id, e.g. <c>T0123</c> or <c>E0123</c>.</param>
/// <param name="Name">The name.</param>
public sealed record SlackFakeTeam(string Id, string Name);

/// <summary>A public channel.</summary>
/// <param name="Id">The channel id.</param>
/// <param name="Name">The channel name, without <c>#</c>.</param>
public sealed record SlackFakeChannel(string Id, string Name);

/// <summary>A message accepted by <c>chat.postMessage</c>.</summary>
/// <param name="Channel">The channel id.</param>
/// <param name="Text">The text, or null when only blocks were sent.</param>
/// <param name="Ts">The message timestamp Slack assigned.</param>
/// <param name="TokenType"><c>"bot"</c> or <c>"user"</c>: which kind of token posted it.</param>
/// <param name="RawBody">The request body as received.</param>
public sealed record SlackFakeMessage(string Channel, string? Text, string Ts, string TokenType, string RawBody);

/// <summary>Which token family of an installation.</summary>
public enum SlackTokenKind
{
    /// <summary>The bot token (top level of <c>oauth.v2.access</c>).</summary>
    Bot,

    /// <summary>The user token (under <c>authed_user</c>).</summary>
    User,
}
