namespace Scoutflo.Http.Integrations.Connections.Internal;

/// <summary>
/// Tells the other processes of the service that a connection changed (deleted, disabled,
/// re-authorisation required, re-installed), so that they drop their resolved copy at once
/// rather than when it expires. Without a shared backend (no <c>UseRedis</c>) nothing is sent
/// and the other processes see a change when their entry expires.
/// </summary>
internal interface IConnectionInvalidations
{
    /// <summary>Announces a change; never throws and never waits for the network.</summary>
    void Publish(string integrationId);

    /// <summary>
    /// Starts delivering other processes' announcements to <paramref name="onInvalidated"/>:
    /// an integration id, or <see langword="null"/> when announcements may have been missed
    /// (the subscription was down) and everything must be forgotten.
    /// </summary>
    void Subscribe(Action<string?> onInvalidated);
}

/// <summary>The default: one process, nobody to tell.</summary>
internal sealed class LocalConnectionInvalidations : IConnectionInvalidations
{
    public void Publish(string integrationId)
    {
    }

    public void Subscribe(Action<string?> onInvalidated)
    {
    }
}
