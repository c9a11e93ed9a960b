namespace Scoutflo.Http.Integrations;

/// <summary>
/// A completed install: the integration payload, not yet stored. Store it with
/// <see cref="IntegrationInstallService.SaveAsync"/> (which also re-activates an earlier
/// install of the same site or workspace), or with your own logic.
/// </summary>
public sealed class InstallResult
{
    /// <summary>
    /// Makes a result; the install service's callback makes them, and a test double of
    /// <see cref="IntegrationInstallService"/> or of a consumer's callback handling can too.
    /// </summary>
    /// <param name="integration">The integration to store.</param>
    /// <param name="returnUrl">The return URL of the install request, if any.</param>
    /// <param name="siblingIntegrationIds">Atlassian: the existing integrations sharing the grant (none when omitted).</param>
    public InstallResult(Integration integration, string? returnUrl = null, IReadOnlyList<string>? siblingIntegrationIds = null)
    {
        ArgumentNullException.ThrowIfNull(integration);
        Integration = integration;
        ReturnUrl = returnUrl;
        SiblingIntegrationIds = siblingIntegrationIds ?? [];
    }

    /// <summary>The integration to store (no id yet). Its credentials are secrets.</summary>
    public Integration Integration { get; }

    /// <summary>The return URL given to <see cref="InstallRequest.ReturnUrl"/>, if any.</summary>
    public string? ReturnUrl { get; }

    /// <summary>
    /// Atlassian: the account's existing Jira/JSM/Confluence integrations whose scopes this
    /// consent included; they share the new grant and are given its tokens when it is saved.
    /// </summary>
    public IReadOnlyList<string> SiblingIntegrationIds { get; }

    /// <summary>Prints the integration without secrets.</summary>
    public override string ToString() => $"InstallResult {{ {Integration} }}";
}
