namespace Scoutflo.Http.Integrations.Fakes;

/// <summary>A request a fake holds until the test releases it.</summary>
public sealed class FakeRequestHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held request has arrived at the fake.</summary>
    public Task Reached => _reached.Task;

    /// <summary>
    /// Completes when the fake has processed the released request (its effects, e.g. a rotation,
    /// have happened), whether or not the client is still there to read the answer.
    /// </summary>
    public Task Answered => _answered.Task;

    /// <summary>Lets the held request be processed and answered.</summary>
    public void Release() => _released.TrySetResult();

    internal void MarkAnswered() => _answered.TrySetResult();

    internal Task WaitAsync()
    {
        _reached.TrySetResult();
        return _released.Task;
    }
}
