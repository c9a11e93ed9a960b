namespace Scoutflo.Http.Integrations;

/// <summary>Which token of a Slack connection a request carries.</summary>
public enum SlackTokenKind
{
    /// <summary>The bot token (<c>xoxb-</c>): the app acting as its bot user. The default.</summary>
    Bot = 0,

    /// <summary>The user token (<c>xoxp-</c>) of the user who installed the app, when user scopes were granted.</summary>
    User = 1,
}
