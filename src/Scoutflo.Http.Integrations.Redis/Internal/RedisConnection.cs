using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// The multiplexer the Redis adapters share: one given (owned by whoever made it), or one this
/// object connects on first use and disposes. Connecting lazily keeps the building of the
/// service provider off the network. Every command runs within <see cref="OperationTimeout"/>,
/// the connect included, whoever made the multiplexer: its own time-outs are not ours to change.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly IConnectionMultiplexer? _given;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private bool _disposed;

    public RedisConnection(IConnectionMultiplexer multiplexer, TimeSpan? operationTimeout = null, TimeProvider? timeProvider = null)
        : this(operationTimeout, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        _given = multiplexer;
    }

    public RedisConnection(ConfigurationOptions configuration, TimeSpan? operationTimeout = null, TimeProvider? timeProvider = null)
        : this(operationTimeout, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration.Clone();

        // Never fail the first connect for good: keep retrying in the background, so that the
        // adapters degrade during an outage and recover after it.
        Configuration.AbortOnConnectFail = false;
    }

    private RedisConnection(TimeSpan? operationTimeout, TimeProvider? timeProvider)
    {
        OperationTimeout = operationTimeout ?? RedisIntegrationsOptions.DefaultOperationTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OperationTimeout, TimeSpan.Zero, nameof(operationTimeout));
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The most one command (with the connect it may wait for) takes before it fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan OperationTimeout { get; }

    /// <summary>The settings of the multiplexer this object connects; <see langword="null"/> for a given one.</summary>
    public ConfigurationOptions? Configuration { get; }

    /// <summary>The server(s), as <c>host:port</c>: enough to find them, never a password.</summary>
    public string Describe()
    {
        var endpoints = _given is not null ? _given.GetEndPoints() : [.. Configuration!.EndPoints];
        return endpoints.Length == 0
            ? "Redis"
            : "Redis at " + string.Join(",", endpoints.Select(e => e switch
            {
                System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
                _ => e.ToString(),
            }));
    }

    /// <summary>
    /// Runs <paramref name="command"/> within <see cref="OperationTimeout"/>. When the bound runs
    /// out the command is abandoned (it may still reach the server later) and a
    /// <see cref="TimeoutException"/> naming the bound is thrown. <paramref name="cancellationToken"/>
    /// abandons the wait too; pass <see cref="CancellationToken.None"/> where a command sent must
    /// be awaited to its end.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        var work = RunCoreAsync(command);
        try
        {
            return await work.WaitAsync(OperationTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            // Nobody awaits it any more: observe its eventual failure so it is not reported unobserved.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{Describe()} did not answer within {OperationTimeout.TotalMilliseconds} ms (RedisIntegrationsOptions.{nameof(RedisIntegrationsOptions.OperationTimeout)})."));
        }

        async Task<T> RunCoreAsync(Func<IDatabase, Task<T>> run) =>
            await run(await GetDatabaseAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for pub/sub work (which runs no database command <see cref="RunAsync{T}"/> could
    /// bound) within <see cref="OperationTimeout"/>; the work is abandoned, not cancelled, when
    /// the bound runs out.
    /// </summary>
    public async Task RunAsync(Func<IConnectionMultiplexer, Task> work)
    {
        var running = RunCoreAsync(work);
        try
        {
            await running.WaitAsync(OperationTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!running.IsCompleted)
        {
            _ = running.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{Describe()} did not answer within {OperationTimeout.TotalMilliseconds} ms (RedisIntegrationsOptions.{nameof(RedisIntegrationsOptions.OperationTimeout)})."));
        }

        async Task RunCoreAsync(Func<IConnectionMultiplexer, Task> run) =>
            await run(await GetMultiplexerAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    public ValueTask<IDatabase> GetDatabaseAsync()
    {
        if (_given is not null)
        {
            return ValueTask.FromResult(_given.GetDatabase());
        }

        var connecting = Connecting();
        return connecting.IsCompletedSuccessfully
            ? ValueTask.FromResult<IDatabase>(connecting.Result.GetDatabase())
            : AwaitDatabaseAsync(connecting);

        static async ValueTask<IDatabase> AwaitDatabaseAsync(Task<ConnectionMultiplexer> connecting) =>
            (await connecting.ConfigureAwait(false)).GetDatabase();
    }

    /// <summary>The multiplexer itself, for pub/sub (invalidations and lock releases).</summary>
    public async ValueTask<IConnectionMultiplexer> GetMultiplexerAsync() =>
        _given ?? await Connecting().ConfigureAwait(false);

    private Task<ConnectionMultiplexer> Connecting()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // A failed attempt (rare with abortConnect=false: a name that does not resolve) is
            // retried by the next caller rather than remembered.
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectionMultiplexer.ConnectAsync(Configuration!);
            }

            return _connecting;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? connecting;
        lock (_gate)
        {
            _disposed = true;
            connecting = _connecting;
        }

        if (connecting is null)
        {
            return;
        }

        if (!connecting.IsCompleted)
        {
            // Still connecting (an unreachable server, a long connectTimeout): shutting down must
            // not wait for it. The multiplexer is closed as soon as it exists.
            _ = connecting.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return;
        }

        try
        {
            await (await connecting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // It never connected: nothing to close.
        }
    }
}
