using Scoutflo.Http.Integrations.Auth.Internal;
using Scoutflo.Http.Integrations.Model.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Attaches an OAuth access token. The level-1 cache is a field: while it holds a token that
/// is still good, a request takes no lock, does no I/O and allocates nothing here.
/// </summary>
internal sealed class OAuthCredentialApplier(OAuthConnection connection, OAuthTokenManager tokens, TimeProvider timeProvider) : ICredentialApplier, ICredentialReapplier
{
    private volatile CurrentToken? _current;

    public bool CanRefresh => true;

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && current.Token.ExpiresAt > timeProvider.GetUtcNow())
        {
            tokens.Metrics.TokenCacheHit(IntegrationsMetrics.LevelL1);
            Attach(request, current);
            return ValueTask.CompletedTask;
        }

        tokens.Metrics.TokenCacheMiss(IntegrationsMetrics.LevelL1);
        return ApplyFromSharedCacheAsync(request, cancellationToken);
    }

    /// <summary>Before a resend: nothing to do (not even a metric) while the request carries the current, unexpired token.</summary>
    public ValueTask ReapplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && current.Token.ExpiresAt > timeProvider.GetUtcNow()
            && request.Headers.NonValidated.TryGetValues("Authorization", out var sent)
            && string.Equals(sent.ToString(), current.HeaderValue, StringComparison.Ordinal))
        {
            return ValueTask.CompletedTask;
        }

        return ApplyAsync(request, cancellationToken);
    }

    public ValueTask<bool> TryRefreshAsync(HttpRequestMessage failedRequest, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Every response passes here; an accepted one must not cost a state machine.
        var classifying = connection.OAuth.ClassifyAsync(response, cancellationToken);
        if (classifying.IsCompletedSuccessfully)
        {
            var verdict = classifying.Result;
            return verdict == CredentialRejection.None
                ? new ValueTask<bool>(false)
                : RefreshAsync(failedRequest, new ValueTask<CredentialRejection>(verdict), cancellationToken);
        }

        return RefreshAsync(failedRequest, classifying, cancellationToken);
    }

    private async ValueTask<bool> RefreshAsync(HttpRequestMessage failedRequest, ValueTask<CredentialRejection> classifying, CancellationToken cancellationToken)
    {
        var verdict = await classifying.ConfigureAwait(false);
        if (verdict == CredentialRejection.None)
        {
            return false;
        }

        var rejected = failedRequest.Headers.Authorization?.Parameter;
        var current = _current;
        if (current is not null && string.Equals(current.Token.Token, rejected, StringComparison.Ordinal))
        {
            _current = null;
        }

        if (verdict == CredentialRejection.Reauthorize)
        {
            await tokens.MarkReauthorizationRequiredAsync(connection, "the provider revoked the grant", cancellationToken).ConfigureAwait(false);
            return false;
        }

        var fresh = await tokens.RefreshAsync(connection, rejected, cancellationToken).ConfigureAwait(false);
        _current = new CurrentToken(fresh);
        return !string.Equals(fresh.Token, rejected, StringComparison.Ordinal);
    }

    private async ValueTask ApplyFromSharedCacheAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(connection, cancellationToken).ConfigureAwait(false);
        var current = new CurrentToken(token);
        _current = current;
        Attach(request, current);
    }

    private static void Attach(HttpRequestMessage request, CurrentToken current)
    {
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", current.HeaderValue);
    }

    public override string ToString() => $"OAuth bearer ({connection.Provider}, {connection.Slot.Name})";

    /// <summary>The token and its header value, built once per token rather than once per request.</summary>
    private sealed class CurrentToken
    {
        public CurrentToken(CachedToken token)
        {
            // The last gate before the header, whatever the token's source: the manager checks
            // each source already, so this only fires if a new path forgets to.
            if (StoredValueRules.HasControlCharacter(token.Token))
            {
                throw new IntegrationException(IntegrationErrorCodes.CredentialsInvalid, "An access token contains a control character; it is not sent.");
            }

            Token = token;
            HeaderValue = "Bearer " + token.Token;
        }

        public CachedToken Token { get; }

        public string HeaderValue { get; }
    }
}
