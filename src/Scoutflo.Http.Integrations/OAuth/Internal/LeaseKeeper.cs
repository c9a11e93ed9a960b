using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Keeps a held refresh lock alive while the refresh runs: extends its lease every third of the
/// lease, so that a slow token endpoint (three attempts and their backoff can outlast one lease)
/// never lets a second process take the lock and spend the same single-use refresh token.
/// <see cref="Lost"/> is cancelled when the lock is no longer provably this holder's: an
/// extend answered "not yours", or none has succeeded for two thirds of the lease (the lock's
/// backend is unreachable, and the lease may run out before the next tick).
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IDistributedLockHandle _handle;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _integrationId;
    private readonly CancellationTokenSource _lost = new();
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private long _lastConfirmed;
    private Task _extending = Task.CompletedTask;
    private bool _disposed;

    private LeaseKeeper(IDistributedLockHandle handle, TimeSpan lease, TimeProvider timeProvider, ILogger logger, string integrationId)
    {
        _handle = handle;
        _lease = lease;
        _interval = lease / 3;
        _timeProvider = timeProvider;
        _logger = logger;
        _integrationId = integrationId;
        _lastConfirmed = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static state => ((LeaseKeeper)state!).OnTick(), this, _interval, _interval);
    }

    /// <summary>The time between two extends: a third of the lease.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Cancelled once the lock may be someone else's: stop the work it guards.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Whether the lease was lost.</summary>
    public bool IsLost => _lost.IsCancellationRequested;

    public static LeaseKeeper Start(IDistributedLockHandle handle, TimeSpan lease, TimeProvider timeProvider, ILogger logger, string integrationId)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        return new LeaseKeeper(handle, lease, timeProvider, logger, integrationId);
    }

    private void OnTick()
    {
        lock (_gate)
        {
            // One extend at a time: a slow backend must not pile them up.
            if (_disposed || IsLost || !_extending.IsCompleted)
            {
                return;
            }

            _extending = ExtendAsync();
        }
    }

    private async Task ExtendAsync()
    {
        bool? held;
        try
        {
            held = await _handle.TryExtendAsync(_lease).ConfigureAwait(false);
        }
        catch (IntegrationException)
        {
            // Unknown: the backend did not answer. Still ours until the lease may have run out.
            held = null;
        }

        if (held == true)
        {
            Interlocked.Exchange(ref _lastConfirmed, _timeProvider.GetTimestamp());
            Log.LeaseExtended(_logger, _integrationId, _lease.TotalSeconds);
            return;
        }

        var unconfirmed = _timeProvider.GetElapsedTime(Interlocked.Read(ref _lastConfirmed));
        if (held == false || unconfirmed >= _lease - _interval)
        {
            Log.LeaseLost(_logger, _integrationId, held == false ? "taken over or expired" : "lock backend unreachable");
            try
            {
                await _lost.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task extending;
        lock (_gate)
        {
            _disposed = true;
            extending = _extending;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        await extending.ConfigureAwait(false);
        _lost.Dispose();
    }
}
