using System.Text.Json.Nodes;

namespace Scoutflo.Http.Integrations.Fakes.Atlassian.Internal;

/// <summary>One grant per (app, Atlassian user): the token family shared by Jira and Confluence.</summary>
internal sealed class AtlassianGrant(string accountId, DateTimeOffset createdAt)
{
    public string AccountId { get; } = accountId;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public HashSet<string> Scopes { get; } = new(StringComparer.Ordinal);

    public bool Revoked { get; set; }

    public AtlassianRefreshToken? Current { get; set; }

    public List<AtlassianAccessToken> AccessTokens { get; } = [];
}

internal sealed class AtlassianRefreshToken(string value, AtlassianGrant grant, DateTimeOffset issuedAt)
{
    public string Value { get; } = value;

    public AtlassianGrant Grant { get; } = grant;

    public DateTimeOffset IssuedAt { get; } = issuedAt;

    /// <summary>When a newer token replaced this one; null while it is the grant's current token.</summary>
    public DateTimeOffset? SupersededAt { get; set; }
}

internal sealed class AtlassianAccessToken(string value, AtlassianGrant grant, DateTimeOffset expiresAt, IReadOnlySet<string> scopes)
{
    public string Value { get; } = value;

    public AtlassianGrant Grant { get; } = grant;

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public IReadOnlySet<string> Scopes { get; } = scopes;
}

internal sealed record AtlassianAuthorizationCode(
    string Code,
    string RedirectUri,
    string AccountId,
    IReadOnlySet<string> Scopes,
    DateTimeOffset ExpiresAt)
{
    public bool Used { get; set; }
}

internal sealed class JiraIssue(int id, string key, JsonObject fields)
{
    public int Id { get; } = id;

    public string Key { get; } = key;

    public JsonObject Fields { get; } = fields;

    public string ProjectKey => Key[..Key.LastIndexOf('-')];
}

/// <summary>The content of one site: Jira issues (Confluence and JSM content is fixed).</summary>
internal sealed class AtlassianSiteContent
{
    public List<JiraIssue> Issues { get; } = [];

    public Dictionary<string, int> NextNumberByProject { get; } = new(StringComparer.Ordinal);

    public int NextIssueId { get; set; } = 10001;
}
