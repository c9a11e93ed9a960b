namespace Scoutflo.Http.Integrations.TestSupport;

/// <summary>
/// Holds one operation of the code under test at an exact step until the test has acted in
/// between: the operation calls <see cref="WaitAsync"/> (or <see cref="TryReach"/> and awaits
/// <see cref="Released"/>), the test awaits <see cref="Reached"/>, acts, then calls
/// <see cref="Release"/>. Both sides wait on signals, never on the clock, and continuations run
/// asynchronously so that releasing never runs the held operation inside the test's call.
/// </summary>
internal sealed class Hold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held operation has reached the step.</summary>
    public Task Reached => _reached.Task;

    /// <summary>Completes when the test releases the held operation.</summary>
    public Task Released => _released.Task;

    /// <summary>Marks the step reached; false when it already was (only the first caller is held).</summary>
    public bool TryReach() => _reached.TrySetResult();

    /// <summary>Marks the step reached and waits for the release (or the operation's cancellation).</summary>
    public Task WaitAsync(CancellationToken cancellationToken = default)
    {
        _reached.TrySetResult();
        return _released.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Lets the held operation go on; releasing twice is harmless.</summary>
    public void Release() => _released.TrySetResult();
}
