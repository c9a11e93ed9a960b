namespace Scoutflo.Http.Integrations.Fakes;

/// <summary>A request a fake holds until the test releases it.</summary>
public sealed class FakeRequestHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held request has arrived at the fake.</summary>
    public Task Reached => _reached.Task;

    /// <summary>Lets the held request be processed and answered.</summary>
    public void Release() => _released.TrySetResult();

    internal Task WaitAsync()
    {
        _reached.TrySetResult();
        return _released.Task;
    }
}
