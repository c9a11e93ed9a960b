namespace Scoutflo.Http.Integrations.Fakes.Sentry;

/// <summary>How a <see cref="SentryFake"/> behaves. Every default is stated on its property.</summary>
public sealed class SentryFakeOptions
{
    /// <summary>The Sentry app's client id. Default <c>"fake-sentry-client-id"</c>.</summary>
    public string ClientId { get; set; } = "fake-sentry-client-id";

    /// <summary>The Sentry app's client secret. Default <c>"fake-sentry-client-secret"</c>.</summary>
    public string ClientSecret { get; set; } = "fake-sentry-client-secret";

    /// <summary>The loopback port to listen on; null (default) picks a free one. A fixed port suits a sandbox with stable URLs.</summary>
    public int? Port { get; set; }

    /// <summary>The clock of every expiry and rate-limit window. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Lifetime of installation access tokens (<c>expiresAt</c>). Default 8 hours, like Sentry.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Lifetime of installation codes (grants). Default 10 minutes.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The scopes of the Sentry app's installations. Default org:read, project:read, event:read.</summary>
    public IList<string> Scopes { get; } = ["org:read", "project:read", "event:read"];

    /// <summary>
    /// Static auth tokens (user or organization tokens) the API accepts, never expiring, with access
    /// to every organization and every scope. Default empty.
    /// </summary>
    public IList<string> StaticTokens { get; } = [];

    /// <summary>The organizations on this host. Default one, <c>scoutflo</c>, with projects <c>backend</c> and <c>frontend</c>.</summary>
    public IList<SentryFakeOrganization> Organizations { get; } =
    [
        new SentryFakeOrganization("1001", "scoutflo", "Scoutflo")
        {
            Projects =
            [
                new SentryFakeProject("2001", "backend", "Backend", "python"),
                new SentryFakeProject("2002", "frontend", "Frontend", "javascript-react"),
            ],
        },
    ];

    /// <summary>
    /// Requests allowed per caller (token, or client address when anonymous) per
    /// <see cref="RateLimitWindow"/>; beyond it the API answers 429. Reported in
    /// <c>X-Sentry-Rate-Limit-Limit</c>. Default 40.
    /// </summary>
    public int RateLimit { get; set; } = 40;

    /// <summary>The fixed window of <see cref="RateLimit"/> (by the <see cref="TimeProvider"/>). Default 1 second.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A copy, so that changing these options after the fake started does not race with it.</summary>
    internal SentryFakeOptions Snapshot()
    {
        var copy = new SentryFakeOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            Port = Port,
            TimeProvider = TimeProvider,
            TokenLifetime = TokenLifetime,
            AuthorizationCodeLifetime = AuthorizationCodeLifetime,
            RateLimit = RateLimit,
            RateLimitWindow = RateLimitWindow,
        };
        copy.Scopes.Clear();
        foreach (var scope in Scopes)
        {
            copy.Scopes.Add(scope);
        }

        foreach (var token in StaticTokens)
        {
            copy.StaticTokens.Add(token);
        }

        copy.Organizations.Clear();
        foreach (var organization in Organizations)
        {
            copy.Organizations.Add(organization);
        }

        return copy;
    }
}

/// <summary>A Sentry organization.</summary>
/// <param name="Id">The numeric id, as a string.</param>
/// <param name="Slug">The slug used in URLs.</param>
/// <param name="Name">The display name.</param>
public sealed record SentryFakeOrganization(string Id, string Slug, string Name)
{
    /// <summary>The organization's projects. Default none.</summary>
    public IReadOnlyList<SentryFakeProject> Projects { get; init; } = [];
}

/// <summary>A Sentry project.</summary>
/// <param name="Id">The numeric id, as a string.</param>
/// <param name="Slug">The slug.</param>
/// <param name="Name">The display name.</param>
/// <param name="Platform">The platform, e.g. <c>python</c>.</param>
public sealed record SentryFakeProject(string Id, string Slug, string Name, string Platform);

/// <summary>What Sentry sends the integration after an installation: the code to exchange and the installation id.</summary>
/// <param name="Code">The single-use grant code.</param>
/// <param name="InstallationId">The installation's uuid (part of the token endpoint path).</param>
/// <param name="OrganizationSlug">The organization the app was installed into.</param>
public sealed record SentryFakeInstallation(string Code, string InstallationId, string OrganizationSlug);
