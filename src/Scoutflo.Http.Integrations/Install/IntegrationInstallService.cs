using System.Buffers.Text;
using System.Security.Cryptography;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// The OAuth install flow: the install URL with a signed, single-use, expiring state; the
/// callback (code exchange and the provider's post-install steps); Atlassian site selection;
/// and storing the result.
/// </summary>
public sealed class IntegrationInstallService : IIntegrationInstallService
{
    private const int MaxConflictRetries = 8;

    private readonly OAuthStateProtector _states;
    private readonly IOneTimeStore _oneTime;
    private readonly IConnectionManager _connections;
    private readonly IReadOnlyList<IOAuthInstaller> _installers;
    private readonly IOptionsMonitor<ScoutfloIntegrationsOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IIntegrationIdentityResolver? _identities;

    internal IntegrationInstallService(
        OAuthStateProtector states,
        IOneTimeStore oneTime,
        IConnectionManager connections,
        IEnumerable<IOAuthInstaller> installers,
        IOptionsMonitor<ScoutfloIntegrationsOptions> options,
        TimeProvider timeProvider,
        ILogger<IntegrationInstallService> logger,
        IIntegrationIdentityResolver? identities = null)
    {
        _identities = identities;
        _states = states;
        _oneTime = oneTime;
        _connections = connections;
        _installers = installers.ToList();
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// The URL to send the user to. Its state is signed, names the provider, account and user,
    /// and can complete one callback within <see cref="ScoutfloIntegrationsOptions.StateLifetime"/>.
    /// </summary>
    /// <param name="request">What to install, for whom.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="IntegrationException"><c>oauth_provider_not_configured</c> when the provider's OAuth app is not set up;
    /// <c>integration_account_mismatch</c> when the request names another account than the identity resolver's.</exception>
    public async Task<Uri> BuildInstallUrlAsync(InstallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Provider, nameof(request));

        // The account is settled before anything else: a refused request builds no URL and
        // stores no state.
        request = await WithTrustedAccountAsync(request, cancellationToken).ConfigureAwait(false);
        var installer = InstallerFor(request.Provider);
        var redirectUri = installer.RedirectUri(request.Provider);
        var baseUrl = installer.ResolveBaseUrl(request);
        var (scopes, siblings) = await installer.ResolveScopesAsync(request, cancellationToken).ConfigureAwait(false);

        var lifetime = _options.CurrentValue.StateLifetime;
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
        var expiresAt = _timeProvider.GetUtcNow() + lifetime;
        if (!await _oneTime.TryAddAsync(TokenKeys.OAuthStateNonce(nonce), request.Provider, lifetime, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A freshly generated OAuth nonce already existed; the random source is broken.");
        }

        var state = _states.Protect(new OAuthStatePayload(request.Provider, request.AccountId!, request.UserId, scopes, nonce,
            expiresAt.ToUnixTimeSeconds(), redirectUri.AbsoluteUri, request.ReturnUrl, siblings, baseUrl?.AbsoluteUri));
        return installer.BuildAuthorizeUrl(request.Provider, scopes, redirectUri, baseUrl, state);
    }

    /// <summary>
    /// The request with the account it may install for: the resolver's for its user when one is
    /// registered (a different explicit account is refused), otherwise the request's own. The
    /// returned request's <see cref="InstallRequest.UserId"/> is what is recorded as creator.
    /// </summary>
    private async Task<InstallRequest> WithTrustedAccountAsync(InstallRequest request, CancellationToken cancellationToken)
    {
        if (_identities is null)
        {
            ArgumentException.ThrowIfNullOrEmpty(request.AccountId, nameof(request));
            return request;
        }

        if (string.IsNullOrEmpty(request.UserId))
        {
            throw new ArgumentException("An identity resolver is registered: InstallRequest.UserId (the signed-in user) is required.", nameof(request));
        }

        var identity = await _identities.ResolveAsync(new IntegrationIdentityContext { UserId = request.UserId, Provider = request.Provider }, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The identity resolver returned no identity.");
        if (string.IsNullOrEmpty(identity.AccountId))
        {
            throw new InvalidOperationException("The identity resolver returned no account id.");
        }

        if (request.AccountId is { Length: > 0 } asked && !string.Equals(asked, identity.AccountId, StringComparison.Ordinal))
        {
            // Neither account is named: the message may reach the person who tried.
            throw new IntegrationException(IntegrationErrorCodes.AccountMismatch,
                "The install request names an account the signed-in user does not belong to; nothing was started.")
            {
                Provider = request.Provider,
            };
        }

        return new InstallRequest
        {
            Provider = request.Provider,
            AccountId = identity.AccountId,
            UserId = identity.CreatedBy ?? request.UserId,
            Scopes = request.Scopes,
            BaseUrl = request.BaseUrl,
            ReturnUrl = request.ReturnUrl,
        };
    }

    // RS0026: the overloads differ by a leading parameter, so no call can be ambiguous; both keep
    // the optional CancellationToken that every async method here has.
#pragma warning disable RS0026

    /// <summary>Handles a callback, taking the provider from its state.</summary>
    /// <param name="callback">The callback's query parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration payload, not yet stored.</returns>
    public Task<InstallResult> HandleCallbackAsync(OAuthCallback callback, CancellationToken cancellationToken = default) =>
        HandleCallbackAsync(provider: null, callback, cancellationToken);

    /// <summary>
    /// Handles the callback of <paramref name="provider"/>: checks the state (signature, provider,
    /// expiry, single use), exchanges the code and runs the provider's post-install steps.
    /// </summary>
    /// <param name="provider">The provider this callback endpoint serves; <see langword="null"/> to trust the state's.</param>
    /// <param name="callback">The callback's query parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration payload, not yet stored.</returns>
    /// <exception cref="OAuthStateException">The state is invalid, expired, replayed or for another provider.</exception>
    /// <exception cref="IntegrationException"><c>oauth_authorization_denied</c>, <c>oauth_callback_invalid</c>, <c>atlassian_no_accessible_resources</c>, token errors;
    /// a subclass when the provider needs the user's choice first (Atlassian's <c>AtlassianSiteSelectionRequiredException</c>: several sites granted).</exception>
    public async Task<InstallResult> HandleCallbackAsync(string? provider, OAuthCallback callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        using var activity = IntegrationsActivities.Start(IntegrationsActivities.InstallCallback, provider ?? "(from state)", integrationId: null);
        try
        {
            var result = await HandleCheckedCallbackAsync(provider, callback, activity, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(IntegrationsActivities.OutcomeTag, "success");
            return result;
        }
        catch (IntegrationException ex)
        {
            IntegrationsActivities.Fail(activity, ex.ErrorCode);
            throw;
        }
    }

#pragma warning restore RS0026

    private async Task<InstallResult> HandleCheckedCallbackAsync(string? provider, OAuthCallback callback, System.Diagnostics.Activity? activity, CancellationToken cancellationToken)
    {
        var state = CheckState(provider, callback.State);
        activity?.SetTag(IntegrationsActivities.ProviderTag, state.Provider);
        activity?.SetTag(IntegrationsActivities.AccountIdTag, state.AccountId);
        var installer = InstallerFor(state.Provider);

        // Whatever the outcome, this state has now been used.
        if (await _oneTime.TakeAsync(TokenKeys.OAuthStateNonce(state.Nonce), cancellationToken).ConfigureAwait(false) is null)
        {
            throw Rejected(state.Provider, IntegrationErrorCodes.StateReplayed, "The OAuth state was already used.");
        }

        if (callback.Error is { } error)
        {
            // The callback's query is anyone's to write (and may quote the state or a code): cleaned and capped.
            string[] secrets = [.. new[] { callback.State, callback.Code }.OfType<string>()];
            var description = ProviderText.Clean(callback.ErrorDescription, secrets);
            throw new IntegrationException(IntegrationErrorCodes.AuthorizationDenied,
                $"The {state.Provider} authorization was not granted: {ProviderText.Clean(error, secrets)}{(description is { } d ? $" ({d})" : "")}.")
            {
                Provider = state.Provider,
            };
        }

        if (string.IsNullOrEmpty(callback.Code))
        {
            throw new IntegrationException(IntegrationErrorCodes.CallbackInvalid, $"The {state.Provider} callback carried neither a code nor an error.")
            {
                Provider = state.Provider,
            };
        }

        var result = await installer.CompleteAsync(state, callback, cancellationToken).ConfigureAwait(false);
        Log.InstallCompleted(_logger, state.Provider, state.AccountId);
        return result;
    }

    /// <summary>Handles a callback and stores the result with <see cref="SaveAsync"/>.</summary>
    /// <param name="provider">The provider this callback endpoint serves; <see langword="null"/> to trust the state's.</param>
    /// <param name="callback">The callback's query parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored integration.</returns>
    public async Task<Integration> HandleCallbackAndSaveAsync(string? provider, OAuthCallback callback, CancellationToken cancellationToken = default) =>
        await SaveAsync(await HandleCallbackAsync(provider, callback, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Finishes an Atlassian install that needed a site choice. The handle is single-use; an
    /// unknown cloud id leaves it usable for a correct choice.
    /// </summary>
    /// <param name="selectionHandle">The handle from <c>AtlassianSiteSelectionRequiredException.SelectionHandle</c>.</param>
    /// <param name="cloudId">The chosen site's cloud id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration payload, not yet stored.</returns>
    /// <exception cref="IntegrationException"><c>atlassian_site_selection_invalid</c> (unknown, expired or used handle) or <c>atlassian_site_unknown</c>.</exception>
    public Task<InstallResult> CompleteSiteSelectionAsync(string selectionHandle, string cloudId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(selectionHandle);
        ArgumentException.ThrowIfNullOrEmpty(cloudId);

        // The provider whose installs stop for a choice (Atlassian's site picker) owns the handle.
        var installer = _installers.LastOrDefault(i => i.CompletesSelections)
            ?? throw new IntegrationException(IntegrationErrorCodes.OAuthNotConfigured,
                "No registered provider completes a site selection: add AddAtlassian() with its OAuth app on the builder AddScoutfloIntegrations returns.");
        return installer.CompleteSelectionAsync(selectionHandle, cloudId, cancellationToken);
    }

    /// <summary>
    /// Stores an install: an earlier integration of the same account and site (or workspace) is
    /// updated and re-activated, otherwise a new one is created. Atlassian siblings named in
    /// <see cref="InstallResult.SiblingIntegrationIds"/> are given the new grant's tokens.
    /// </summary>
    /// <param name="result">The result of <see cref="HandleCallbackAsync(string, OAuthCallback, CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored integration.</returns>
    public async Task<Integration> SaveAsync(InstallResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var installed = result.Integration;
        var installer = InstallerFor(installed.Provider);

        var stored = await UpsertAsync(installed, installer, cancellationToken).ConfigureAwait(false);
        foreach (var siblingId in result.SiblingIntegrationIds.Where(id => id != stored.Id))
        {
            await ConvergingUpdate.ApplyAsync(
                ct => _connections.GetConnectionAsync(siblingId, ct),
                (updated, version, ct) => _connections.UpdateConnectionAsync(updated, version, ct),
                sibling => sibling.AuthType == IntegrationAuthTypes.OAuth2
                    ? sibling with { Credentials = installed.Credentials, Status = IntegrationStatus.Active }
                    : null,
                cancellationToken).ConfigureAwait(false);
        }

        return stored;
    }

    private async Task<Integration> UpsertAsync(Integration installed, IOAuthInstaller installer, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = (await _connections.ListConnectionsAsync(installed.AccountId, [installed.Provider], cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(e => installer.IsSameConnection(e, installed));
            if (existing is null)
            {
                return await _connections.CreateConnectionAsync(installed, cancellationToken).ConfigureAwait(false);
            }

            var merged = existing with
            {
                AuthType = installed.AuthType,
                Credentials = installed.Credentials,
                Metadata = Merge(existing.Metadata, installed.Metadata),
                Scopes = installed.Scopes,
                Status = IntegrationStatus.Active,
            };
            try
            {
                return await _connections.UpdateConnectionAsync(merged, existing.Version, cancellationToken).ConfigureAwait(false);
            }
            catch (IntegrationConcurrencyException) when (attempt < MaxConflictRetries)
            {
            }
        }
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> existing, IReadOnlyDictionary<string, string> installed)
    {
        var merged = new Dictionary<string, string>(existing, StringComparer.Ordinal);
        foreach (var (key, value) in installed)
        {
            merged[key] = value;
        }

        return merged;
    }

    private OAuthStatePayload CheckState(string? provider, string? rawState)
    {
        OAuthStatePayload state;
        try
        {
            state = _states.Unprotect(rawState);
        }
        catch (OAuthStateException ex)
        {
            Log.StateRejected(_logger, provider ?? "(unknown)", ex.ErrorCode);
            throw;
        }

        if (provider is not null && !string.Equals(provider, state.Provider, StringComparison.Ordinal))
        {
            throw Rejected(provider, IntegrationErrorCodes.StateProviderMismatch,
                $"The OAuth state was issued for {state.Provider}, but the callback is {provider}'s.");
        }

        if (_timeProvider.GetUtcNow().ToUnixTimeSeconds() >= state.ExpiresAtUnixSeconds)
        {
            throw Rejected(state.Provider, IntegrationErrorCodes.StateExpired, "The OAuth state has expired; start the install again.");
        }

        return state;
    }

    private OAuthStateException Rejected(string provider, string errorCode, string message)
    {
        Log.StateRejected(_logger, provider, errorCode);
        return new OAuthStateException(errorCode, message) { Provider = provider };
    }

    private string InstallableProviders()
    {
        var names = _installers.SelectMany(i => i.Providers).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "none (add AddAtlassian, AddSlack or AddSentry)" : string.Join(", ", names.Select(n => $"'{n}'"));
    }

    private IOAuthInstaller InstallerFor(string provider) =>
        _installers.LastOrDefault(i => i.Providers.Contains(provider))
            ?? throw new IntegrationException(IntegrationErrorCodes.OAuthNotConfigured,
                IntegrationProviders.RegistrationFor(provider) is { } registration
                    ? $"Provider '{provider}' is not registered: add {registration} with its OAuth app (ClientId, ClientSecret, RedirectUri); the providers that can be installed are: {InstallableProviders()}."
                    : $"Provider '{provider}' has no OAuth install flow configured here; the providers that can be installed are: {InstallableProviders()}.")
            {
                Provider = provider,
            };
}
