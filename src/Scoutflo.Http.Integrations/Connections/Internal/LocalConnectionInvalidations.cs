namespace Scoutflo.Http.Integrations.Connections.Internal;

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
