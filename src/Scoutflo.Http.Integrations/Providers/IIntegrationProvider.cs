using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers;

/// <summary>
/// One provider as the core sees it, and the only thing a provider registers
/// (<c>AddAtlassian</c>, <c>AddSlack</c>, ... from its own folder): the names it serves, the
/// rules of its records, where their requests go, and, when it has them, its OAuth runtime and
/// install flow. The core never names a provider; it looks one up by a record's provider name.
/// </summary>
internal interface IIntegrationProvider
{
    /// <summary>One profile per provider name served (Atlassian: jira, jsm and confluence).</summary>
    IReadOnlyList<ProviderProfile> Profiles { get; }

    /// <summary>Throws an <see cref="IntegrationException"/> for a record the provider cannot serve.</summary>
    void Validate(Integration integration);

    /// <summary>The API base of a valid record, and the site host whose URLs are moved onto it.</summary>
    ProviderEndpoint GetEndpoint(Integration integration);

    /// <summary>Refresh and "token refused" on the request path; <see langword="null"/> for a provider without OAuth.</summary>
    IOAuthProvider? OAuth { get; }

    /// <summary>The install flow (authorize URL, callback); <see langword="null"/> for a provider nobody installs through here.</summary>
    IOAuthInstaller? Installer { get; }
}

/// <param name="BaseAddress">Where requests go; credentials are sent nowhere else.</param>
/// <param name="SiteAddress">
/// A second origin whose absolute URLs (e.g. Jira <c>self</c> links on <c>x.atlassian.net</c>)
/// are moved onto <paramref name="BaseAddress"/>; <see langword="null"/> when there is none.
/// </param>
internal readonly record struct ProviderEndpoint(Uri BaseAddress, Uri? SiteAddress);
