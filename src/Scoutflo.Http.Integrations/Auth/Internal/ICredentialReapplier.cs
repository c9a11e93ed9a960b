namespace Scoutflo.Http.Integrations.Auth.Internal;

/// <summary>
/// A credential that can tell whether a request still carries its current value, so that
/// re-checking it before every attempt costs nothing while it is. It sits beside
/// <see cref="ICredentialApplier"/> because both the pipeline (Http) and the appliers that
/// implement it (OAuth, providers) need it, and Http depends on OAuth, never the reverse.
/// </summary>
internal interface ICredentialReapplier
{
    /// <summary>Attaches the current credential unless the request already carries it.</summary>
    ValueTask ReapplyAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}
