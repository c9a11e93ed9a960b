namespace Scoutflo.Http.Integrations.Fakes.Sentry.Internal;

internal sealed class SentryInstallationState(string id, string organizationSlug, string userId)
{
    public string Id { get; } = id;

    public string OrganizationSlug { get; } = organizationSlug;

    public string UserId { get; } = userId;
}

internal sealed record SentryGrant(string Code, SentryInstallationState Installation, DateTimeOffset ExpiresAt)
{
    public bool Used { get; set; }
}

/// <summary>An installation token: access and refresh value issued together, deleted together on refresh.</summary>
internal sealed class SentryToken(string id, string token, string refreshToken, SentryInstallationState installation, DateTimeOffset createdAt, DateTimeOffset expiresAt)
{
    public string Id { get; } = id;

    public string Token { get; } = token;

    public string RefreshToken { get; } = refreshToken;

    public SentryInstallationState Installation { get; } = installation;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public bool Deleted { get; set; }
}

internal sealed class RateWindow(DateTimeOffset start)
{
    public DateTimeOffset Start { get; set; } = start;

    public int Count { get; set; }
}
