namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>A provider's OAuth behaviour on the request path: how to refresh, how it says "token refused".</summary>
internal interface IOAuthProvider
{
    /// <summary>The provider names served (Atlassian serves jira, jsm and confluence).</summary>
    IReadOnlyCollection<string> Providers { get; }

    /// <summary>
    /// Whether the integrations of one account share one grant (Atlassian: one token pair per
    /// app and user), so that a rotation must be written to every sibling.
    /// </summary>
    bool SharesGrantAcrossProducts { get; }

    /// <summary>Exchanges a refresh token; a dead grant raises <see cref="OAuthTokenRequestException"/> with <see cref="IsDeadGrant"/> true.</summary>
    Task<OAuthTokenResponse> RefreshAsync(Integration integration, OAuthTokenSlot slot, string refreshToken, CancellationToken cancellationToken);

    /// <summary>Whether a token-endpoint failure means the grant is gone for good (re-authorisation).</summary>
    bool IsDeadGrant(OAuthTokenRequestException exception);

    /// <summary>Reads a response: was the credential refused in a way a refresh can mend?</summary>
    ValueTask<CredentialRejection> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken);

    /// <summary>
    /// The applier of one resolved connection: one token family by default; a provider whose
    /// connections hold several (Slack: bot and user tokens) chooses per request.
    /// </summary>
    ICredentialApplier CreateApplier(Integration integration, OAuthTokenManager tokens, TimeProvider timeProvider) =>
        new OAuthCredentialApplier(new OAuthConnection(integration, this, OAuthTokenSlot.Primary), tokens, timeProvider);
}

internal enum CredentialRejection
{
    /// <summary>Not a credential problem, or one a refresh cannot mend (e.g. a missing scope): the response goes back as is.</summary>
    None,

    /// <summary>The token was refused: refresh once and send again.</summary>
    Refresh,

    /// <summary>The grant is gone (revoked, account inactive): mark the integration for re-authorisation.</summary>
    Reauthorize,
}
