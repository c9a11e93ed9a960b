namespace Scoutflo.Http.Integrations.Providers;

/// <summary>A provider's rules: which records are valid and where their requests go.</summary>
internal interface IProviderAdapter
{
    ProviderProfile Profile { get; }

    /// <summary>Throws an <see cref="IntegrationException"/> for a record the provider cannot serve.</summary>
    void Validate(Integration integration);

    /// <summary>The API base of a valid record, and the site host whose URLs are moved onto it.</summary>
    ProviderEndpoint GetEndpoint(Integration integration);
}

/// <param name="BaseAddress">Where requests go; credentials are sent nowhere else.</param>
/// <param name="SiteAddress">
/// A second origin whose absolute URLs (e.g. Jira <c>self</c> links on <c>x.atlassian.net</c>)
/// are moved onto <paramref name="BaseAddress"/>; <see langword="null"/> when there is none.
/// </param>
internal readonly record struct ProviderEndpoint(Uri BaseAddress, Uri? SiteAddress);
