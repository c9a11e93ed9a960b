namespace Scoutflo.Http.Integrations;

/// <summary>
/// The Slack app and endpoints. Bound from the <c>Slack</c> configuration section by
/// <c>AddSlack(IConfiguration)</c>.
/// </summary>
public sealed class SlackOptions
{
    /// <summary>The Web API base. Default <c>https://slack.com/api</c>.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api");
}
