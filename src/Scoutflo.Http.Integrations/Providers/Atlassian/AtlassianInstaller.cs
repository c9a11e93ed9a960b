using System.Buffers.Text;
using System.Security.Cryptography;
using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.Atlassian;

/// <summary>
/// The Atlassian install: scopes united with the account's sibling products (one grant per
/// user covers them all), code exchange, then accessible-resources: no site is an error, one
/// site completes, several sites wait server-side for the user's choice.
/// </summary>
internal sealed class AtlassianInstaller(
    AtlassianOAuthProvider oauth,
    IIntegrationStore store,
    IOneTimeStore oneTime,
    IOptionsMonitor<AtlassianOptions> options,
    IOptionsMonitor<ScoutfloIntegrationsOptions> coreOptions,
    TimeProvider timeProvider) : IOAuthInstaller
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyCollection<string> Providers => oauth.Providers;

    public Uri RedirectUri(string provider) => oauth.RedirectUri(provider);

    public async Task<(IReadOnlyList<string> Scopes, IReadOnlyList<string> SiblingIds)> ResolveScopesAsync(InstallRequest request, CancellationToken cancellationToken)
    {
        var siblings = (await store.FindByAccountAsync(request.AccountId!, [.. oauth.Providers], cancellationToken).ConfigureAwait(false))
            .Where(s => s.Provider != request.Provider && s.AuthType == IntegrationAuthTypes.OAuth2)
            .ToList();

        var scopes = oauth.DefaultScopes(request.Provider)
            .Concat(request.Scopes ?? [])
            .Concat(siblings.SelectMany(s => s.Scopes))
            .Append(AtlassianOAuthProvider.OfflineAccess)
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return (scopes, siblings.Select(s => s.Id).ToList());
    }

    public Uri BuildAuthorizeUrl(string provider, IReadOnlyList<string> scopes, Uri redirectUri, Uri? baseUrl, string state) =>
        oauth.BuildAuthorizeUrl(provider, scopes, redirectUri, state);

    public async Task<InstallResult> CompleteAsync(OAuthStatePayload state, OAuthCallback callback, CancellationToken cancellationToken)
    {
        var tokens = await oauth.ExchangeCodeAsync(state.Provider, callback.Code!, new Uri(state.RedirectUri), cancellationToken).ConfigureAwait(false);
        var sites = await oauth.GetAccessibleResourcesAsync(state.Provider, tokens.AccessToken, cancellationToken).ConfigureAwait(false);
        switch (sites.Count)
        {
            case 0:
                throw new IntegrationException(IntegrationErrorCodes.AtlassianNoAccessibleResources,
                    "The Atlassian user granted access to no site; the app cannot reach any Jira or Confluence.")
                {
                    Provider = state.Provider,
                };
            case 1:
                return Payload(state, tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresAt, tokens.Scopes, sites[0]);
        }

        // Picking the first site silently connects the wrong one: the caller must choose. The
        // tokens wait here, server-side, behind a single-use handle.
        var handle = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var lifetime = SiteSelectionLifetime();
        var pending = new PendingSelection(state, tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresAt, tokens.Scopes, sites);
        await oneTime.TryAddAsync(TokenKeys.SiteSelection(handle), JsonSerializer.Serialize(pending, Json), lifetime, cancellationToken).ConfigureAwait(false);
        throw new AtlassianSiteSelectionRequiredException(state.Provider, sites, handle, timeProvider.GetUtcNow() + lifetime);
    }

    public bool CompletesSelections => true;

    public Task<InstallResult> CompleteSelectionAsync(string selectionHandle, string choice, CancellationToken cancellationToken) =>
        CompleteSiteSelectionAsync(selectionHandle, choice, cancellationToken);

    public async Task<InstallResult> CompleteSiteSelectionAsync(string handle, string cloudId, CancellationToken cancellationToken)
    {
        var key = TokenKeys.SiteSelection(handle);
        var pending = Read(await oneTime.PeekAsync(key, cancellationToken).ConfigureAwait(false));
        var site = pending.Sites.FirstOrDefault(s => string.Equals(s.CloudId, cloudId, StringComparison.Ordinal))
            ?? throw new IntegrationException(IntegrationErrorCodes.AtlassianSiteUnknown,
                $"Cloud id '{cloudId}' is not one of the {pending.Sites.Count} sites offered.")
            {
                Provider = pending.State.Provider,
            };

        // The peek let a wrong choice keep the handle; the take makes a right one single-use.
        Read(await oneTime.TakeAsync(key, cancellationToken).ConfigureAwait(false));
        return Payload(pending.State, pending.AccessToken, pending.RefreshToken, pending.ExpiresAt, pending.Scopes, site);
    }

    public bool IsSameConnection(Integration existing, Integration installed) =>
        string.Equals(existing.GetMetadata(IntegrationMetadataKeys.CloudId), installed.GetMetadata(IntegrationMetadataKeys.CloudId), StringComparison.Ordinal);

    // The setting moved here from the core options; an application that still sets it there
    // keeps its value until it sets the Atlassian one.
    private TimeSpan SiteSelectionLifetime()
    {
        var lifetime = options.CurrentValue.SiteSelectionLifetime;
#pragma warning disable CS0618 // the obsolete setting is read on purpose
        var legacy = coreOptions.CurrentValue.SiteSelectionLifetime;
#pragma warning restore CS0618
        return lifetime == AtlassianOptions.DefaultSiteSelectionLifetime ? legacy : lifetime;
    }

    private static PendingSelection Read(string? json)
    {
        if (json is not null)
        {
            try
            {
                if (JsonSerializer.Deserialize<PendingSelection>(json, Json) is { } pending)
                {
                    return pending;
                }
            }
            catch (JsonException)
            {
            }
        }

        throw new IntegrationException(IntegrationErrorCodes.AtlassianSiteSelectionInvalid,
            "The site-selection handle is unknown, expired or already used; start the install again.");
    }

    private static InstallResult Payload(OAuthStatePayload state, string accessToken, string? refreshToken, DateTimeOffset? expiresAt, IReadOnlyList<string> grantedScopes, AtlassianSite site)
    {
        var integration = StoredTokens.WithTokens(new Integration
        {
            Provider = state.Provider,
            AccountId = state.AccountId,
            CreatedBy = state.UserId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [IntegrationMetadataKeys.CloudId] = site.CloudId,
                [IntegrationMetadataKeys.SiteUrl] = site.Url.GetLeftPart(UriPartial.Authority),
                [IntegrationMetadataKeys.SiteName] = site.Name,
            },
            Scopes = grantedScopes.Count > 0 ? grantedScopes : state.Scopes,
            Status = IntegrationStatus.Active,
        }, OAuthTokenSlot.Primary, accessToken, refreshToken, expiresAt);
        return new InstallResult(integration, state.ReturnUrl, state.SiblingIds ?? []);
    }

    private sealed record PendingSelection(
        OAuthStatePayload State,
        string AccessToken,
        string? RefreshToken,
        DateTimeOffset? ExpiresAt,
        IReadOnlyList<string> Scopes,
        IReadOnlyList<AtlassianSite> Sites);
}
