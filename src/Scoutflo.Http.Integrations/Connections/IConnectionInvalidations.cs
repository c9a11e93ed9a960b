namespace Scoutflo.Http.Integrations;

/// <summary>
/// Tells the other processes of the service that a connection changed (deleted, disabled,
/// re-authorisation required, re-installed), so that they drop their resolved copy at once
/// rather than when it expires. The default (in-memory storage) sends nothing: the other
/// processes see a change when their entry expires. A storage package with a shared backend
/// (<c>UseRedis</c>) registers an implementation as a singleton in place of the default.
/// </summary>
public interface IConnectionInvalidations
{
    /// <summary>
    /// Announces a change to the other processes; never throws and never waits for the network.
    /// The announcing process has already forgotten its own copy: an implementation need not
    /// deliver an announcement back to its sender.
    /// </summary>
    /// <param name="integrationId">The integration that changed.</param>
    void Publish(string integrationId);

    /// <summary>
    /// Starts delivering other processes' announcements to <paramref name="onInvalidated"/>:
    /// an integration id, or <see langword="null"/> when announcements may have been missed
    /// (the subscription was down) and everything must be forgotten. Called once, when the
    /// library's connection cache is built.
    /// </summary>
    /// <param name="onInvalidated">Called for each announcement; it does not block.</param>
    void Subscribe(Action<string?> onInvalidated);
}
