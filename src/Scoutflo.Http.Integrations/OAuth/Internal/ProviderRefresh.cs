using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Model.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// The call to the provider's token endpoint, made by a holder of the refresh lock: spends the
/// record's refresh token, maps a dead grant to re-authorisation and a lost lease to
/// <c>integration_refresh_lock_lost</c>, and hands the rotation to <see cref="RotationWriter"/>.
/// A record deleted or re-installed meanwhile wins.
/// </summary>
/// <remarks>Logs under the <see cref="OAuthTokenManager"/> category, so filters set on the refresh path keep applying.</remarks>
internal sealed class ProviderRefresh(
    GrantLookup grants,
    RotationWriter writer,
    ReauthorizationMarker reauthorization,
    TokenSources sources,
    ResolvedConnectionCache connections,
    RefreshTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<OAuthTokenManager> logger)
{
    /// <summary>Refreshes <paramref name="record"/> with its provider; the lock (kept by <paramref name="keeper"/>) is held.</summary>
    /// <param name="connection">The token family.</param>
    /// <param name="record">The record as read under the lock.</param>
    /// <param name="grant">The grant's owner, naming the lock and the journal.</param>
    /// <param name="keeper">Cancels the token request when the lease is lost.</param>
    /// <param name="retryIfSuperseded">Whether a record re-installed meanwhile gets one refresh of its own grant.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<CachedToken> RefreshAsync(OAuthConnection connection, Integration record, Integration grant, LeaseKeeper keeper, bool retryIfSuperseded, CancellationToken cancellationToken)
    {
        var slot = connection.Slot;
        var siblings = await grants.SiblingsAsync(connection, record, cancellationToken).ConfigureAwait(false);
        if (record.GetCredential(slot.RefreshTokenField) is not { } refreshToken)
        {
            await reauthorization.MarkAsync(record, siblings, "the access token expired and there is no refresh token", cancellationToken).ConfigureAwait(false);
            throw new ReauthorizationRequiredException(record.Id, record.Provider, "no_refresh_token");
        }

        Log.RefreshStarted(logger, record.Id, record.Provider);
        var started = timeProvider.GetTimestamp();
        OAuthTokenResponse tokens;
        using (var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, keeper.Lost))
        {
            try
            {
                tokens = await connection.OAuth.RefreshAsync(record, slot, refreshToken, call.Token).ConfigureAwait(false);

                // Before anything is stored or cached: such a token would be written raw into a header.
                if (StoredValueRules.HasControlCharacter(tokens.AccessToken) || (tokens.RefreshToken is { } rotatedToken && StoredValueRules.HasControlCharacter(rotatedToken)))
                {
                    throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenResponseInvalid,
                        $"The {record.Provider} token endpoint answered a token that contains a control character; it was not stored nor used.");
                }
            }
            catch (OperationCanceledException ex) when (keeper.IsLost && !cancellationToken.IsCancellationRequested)
            {
                telemetry.Refreshed(record.Provider, IntegrationsMetrics.OutcomeFailure, started);
                Log.RefreshFailed(logger, record.Id, record.Provider, IntegrationErrorCodes.RefreshLockLost);
                throw new IntegrationException(IntegrationErrorCodes.RefreshLockLost,
                    $"Integration '{record.Id}': the refresh lock's lease could not be extended, so the token request was stopped.", ex)
                {
                    IntegrationId = record.Id,
                    Provider = record.Provider,
                };
            }
            catch (OAuthTokenRequestException ex) when (connection.OAuth.IsDeadGrant(ex))
            {
                telemetry.Refreshed(record.Provider, IntegrationsMetrics.OutcomeReauthorizationRequired, started);
                await reauthorization.MarkAsync(record, siblings, ex.ProviderError ?? ex.ErrorCode, cancellationToken).ConfigureAwait(false);
                throw new ReauthorizationRequiredException(record.Id, record.Provider, ex.ProviderError);
            }
            catch (IntegrationException ex)
            {
                telemetry.Refreshed(record.Provider, IntegrationsMetrics.OutcomeFailure, started);
                Log.RefreshFailed(logger, record.Id, record.Provider, ex.ErrorCode);
                throw RefreshTelemetry.WithIntegration(ex, record);
            }
        }

        var outcome = await writer.WriteAsync(connection, record, grant, siblings, refreshToken, tokens, cancellationToken).ConfigureAwait(false);
        if (outcome.Token is not { } token)
        {
            telemetry.Refreshed(record.Provider, IntegrationsMetrics.OutcomeFailure, started);
            return await SupersededAsync(connection, grant, keeper, retryIfSuperseded && !outcome.Written, cancellationToken).ConfigureAwait(false);
        }

        telemetry.Refreshed(record.Provider, IntegrationsMetrics.OutcomeSuccess, started);
        Log.RefreshSucceeded(logger, record.Id, record.Provider, outcome.SiblingsUpdated);
        return token;
    }

    /// <summary>
    /// The record was deleted or re-installed while a rotation ran: it wins. A deleted record
    /// fails with <c>integration_not_found</c>; a re-installed one serves its own token (or,
    /// once, a refresh of its own grant).
    /// </summary>
    private async Task<CachedToken> SupersededAsync(OAuthConnection connection, Integration grant, LeaseKeeper keeper, bool retryIfSuperseded, CancellationToken cancellationToken)
    {
        connections.Invalidate(connection.IntegrationId);
        var current = await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
        Log.RotationDropped(logger, connection.IntegrationId, connection.Provider);
        if (sources.UsableStored(connection, current) is { } stored)
        {
            return telemetry.RefreshedElsewhere(connection, stored);
        }

        return retryIfSuperseded
            ? await RefreshAsync(connection, current, grant, keeper, retryIfSuperseded: false, cancellationToken).ConfigureAwait(false)
            : throw new IntegrationException(IntegrationErrorCodes.StoreWriteFailed,
                $"Integration '{connection.IntegrationId}': the record changed under two refreshes in a row; try again.")
            {
                IntegrationId = connection.IntegrationId,
                Provider = connection.Provider,
            };
    }
}
