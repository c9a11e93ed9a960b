namespace Scoutflo.Http.Integrations;

/// <summary>
/// The Atlassian user granted access to several sites (<c>atlassian_site_selection_required</c>):
/// show them <see cref="Sites"/> and finish with
/// <see cref="IntegrationInstallService.CompleteSiteSelectionAsync"/> and <see cref="SelectionHandle"/>.
/// The tokens stay on the server; the handle is single-use and expires.
/// </summary>
public sealed class AtlassianSiteSelectionRequiredException : IntegrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">The product being installed.</param>
    /// <param name="sites">The sites to choose from.</param>
    /// <param name="selectionHandle">The one-time handle that completes the selection.</param>
    /// <param name="expiresAt">When the handle expires.</param>
    public AtlassianSiteSelectionRequiredException(string provider, IReadOnlyList<AtlassianSite> sites, string selectionHandle, DateTimeOffset expiresAt)
        : base(IntegrationErrorCodes.AtlassianSiteSelectionRequired,
            $"The Atlassian user granted access to {sites.Count} sites; the user must pick one.")
    {
        Provider = provider;
        Sites = sites;
        SelectionHandle = selectionHandle;
        ExpiresAt = expiresAt;
    }

    /// <summary>The sites to choose from.</summary>
    public IReadOnlyList<AtlassianSite> Sites { get; }

    /// <summary>The one-time handle to pass to <see cref="IntegrationInstallService.CompleteSiteSelectionAsync"/>.</summary>
    public string SelectionHandle { get; }

    /// <summary>When the handle expires.</summary>
    public DateTimeOffset ExpiresAt { get; }
}
