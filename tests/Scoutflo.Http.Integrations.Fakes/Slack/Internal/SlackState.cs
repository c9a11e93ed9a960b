namespace Scoutflo.Http.Integrations.Fakes.Slack.Internal;

/// <summary>One token family: the bot token of the workspace or the user token of one user.</summary>
internal sealed class SlackTokenFamily(SlackTokenKind kind, string userId)
{
    public SlackTokenKind Kind { get; } = kind;

    public string UserId { get; } = userId;

    public List<string> Scopes { get; } = [];

    public SlackAccessToken? CurrentAccess { get; set; }

    public SlackRefreshToken? CurrentRefresh { get; set; }
}

internal sealed class SlackAccessToken(string value, SlackTokenFamily family, DateTimeOffset? expiresAt, IReadOnlyList<string> scopes)
{
    public string Value { get; } = value;

    public SlackTokenFamily Family { get; } = family;

    public DateTimeOffset? ExpiresAt { get; set; } = expiresAt;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public bool Revoked { get; set; }

    public bool Inactive { get; set; }
}

internal sealed class SlackRefreshToken(string value, SlackTokenFamily family)
{
    public string Value { get; } = value;

    public SlackTokenFamily Family { get; } = family;

    public bool Revoked { get; set; }
}

internal sealed record SlackAuthorizationCode(
    string Code,
    string RedirectUri,
    IReadOnlyList<string> BotScopes,
    IReadOnlyList<string> UserScopes,
    string UserId,
    DateTimeOffset ExpiresAt)
{
    public bool Used { get; set; }
}
