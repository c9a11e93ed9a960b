namespace Scoutflo.Http.Integrations;

/// <summary>
/// An OAuth callback's state was refused. <see cref="IntegrationException.ErrorCode"/> says why:
/// <c>oauth_state_invalid</c>, <c>oauth_state_expired</c>, <c>oauth_state_replayed</c> or
/// <c>oauth_state_provider_mismatch</c>. The state itself is never part of the message.
/// </summary>
public sealed class OAuthStateException : IntegrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">One of the <c>oauth_state_*</c> codes.</param>
    /// <param name="message">A description without the state.</param>
    public OAuthStateException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}
