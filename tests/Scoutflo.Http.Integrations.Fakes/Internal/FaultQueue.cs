namespace Scoutflo.Http.Integrations.Fakes.Internal;

/// <summary>One injected fault: answer <see cref="StatusCode"/> instead of the real response
/// (0 = answer normally); with a <see cref="Location"/>, the answer is a redirect there (as a
/// hijacked or misconfigured endpoint would send). A slow provider is modelled with a held
/// request (<see cref="FakeRequestHold"/>), released by the test, never with real time.</summary>
internal sealed record Fault(int StatusCode, TimeSpan? RetryAfter, Uri? Location = null);

/// <summary>Faults queued for the next requests of one kind, consumed one per request.</summary>
internal sealed class FaultQueue
{
    private readonly Queue<Fault> _faults = new();
    private readonly Lock _gate = new();

    public void Enqueue(int count, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    public Fault? TryDequeue()
    {
        lock (_gate)
        {
            return _faults.TryDequeue(out var fault) ? fault : null;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }
}
