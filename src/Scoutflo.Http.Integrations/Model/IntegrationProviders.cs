namespace Scoutflo.Http.Integrations;

/// <summary>The provider names known to the library (<see cref="Integration.Provider"/>).</summary>
public static class IntegrationProviders
{
    /// <summary>Jira Cloud.</summary>
    public const string Jira = "jira";

    /// <summary>Jira Service Management (same API host as Jira, <c>rest/servicedeskapi</c> paths).</summary>
    public const string Jsm = "jsm";

    /// <summary>Confluence Cloud.</summary>
    public const string Confluence = "confluence";

    /// <summary>Slack.</summary>
    public const string Slack = "slack";

    /// <summary>Sentry (sentry.io, its regional hosts, or self-hosted).</summary>
    public const string Sentry = "sentry";

    /// <summary>Any other API: base URL and auth type come from the record.</summary>
    public const string Custom = "custom";

    /// <summary>Whether the provider is an Atlassian product (they share one OAuth grant per user).</summary>
    /// <param name="provider">A provider name.</param>
    public static bool IsAtlassian(string provider) =>
        provider is Jira or Jsm or Confluence;

    /// <summary>
    /// The registration that adds a provider this library ships, for the message of a record whose
    /// provider was not added; <see langword="null"/> for any other name.
    /// </summary>
    internal static string? RegistrationFor(string? provider) => provider switch
    {
        Jira or Jsm or Confluence => "AddAtlassian()",
        Slack => "AddSlack()",
        Sentry => "AddSentry()",
        _ => null,
    };
}
