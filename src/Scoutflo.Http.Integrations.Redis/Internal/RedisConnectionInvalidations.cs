using System.Security.Cryptography;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// Connection invalidations over Redis pub/sub, on the channel <c>integration:invalidations</c>
/// (named after the key prefix, so that it sits with the library's keys). A message is
/// <c>{sender} {integration_id}</c>: the sender is random per process, so that a process skips
/// its own announcements without a lookup. Classic PUBLISH reaches every subscriber of every
/// node of a Redis Cluster. Messages sent while a subscriber was disconnected are lost, so a
/// (re)established subscription forgets everything it holds: after an outage the next request
/// reads the store, never a copy that may have missed a change.
/// </summary>
internal sealed class RedisConnectionInvalidations : IConnectionInvalidations
{
    /// <summary>The channel every process of the service publishes to and listens on.</summary>
    public static readonly RedisChannel Channel = RedisChannel.Literal("integration:invalidations");

    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly RedisFailures _failures;
    private readonly string _sender = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private Action<string?>? _onInvalidated;

    public RedisConnectionInvalidations(RedisConnection connection, TimeProvider timeProvider, ILogger<RedisConnectionInvalidations> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _logger = logger;
        _failures = new RedisFailures("connection invalidations", "other processes see changes made here when their cached connection expires.", timeProvider, logger);
    }

    /// <summary>Completes when this process listens (or failed to start listening; it retries on reconnect).</summary>
    public Task Listening { get; private set; } = Task.CompletedTask;

    public void Publish(string integrationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        _ = PublishAsync(integrationId);
    }

    public void Subscribe(Action<string?> onInvalidated)
    {
        ArgumentNullException.ThrowIfNull(onInvalidated);
        if (Interlocked.CompareExchange(ref _onInvalidated, onInvalidated, null) is null)
        {
            Listening = SubscribeAsync();
        }
    }

    private async Task PublishAsync(string integrationId)
    {
        try
        {
            var multiplexer = await _connection.GetMultiplexerAsync().ConfigureAwait(false);
            await multiplexer.GetSubscriber().PublishAsync(Channel, $"{_sender} {integrationId}").ConfigureAwait(false);
            _failures.Succeeded();
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex) || ex is ObjectDisposedException)
        {
            _failures.Report(ex);
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            var multiplexer = await _connection.GetMultiplexerAsync().ConfigureAwait(false);

            // Whatever was announced while the subscription was down is unknown: forget all.
            multiplexer.ConnectionRestored += (_, e) =>
            {
                if (e.ConnectionType == ConnectionType.Subscription)
                {
                    Forget(null);
                }
            };
            await multiplexer.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnMessage(message)).ConfigureAwait(false);

            // Anything cached before the subscription was in place may have missed a change.
            Forget(null);
            _failures.Succeeded();
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex) || ex is ObjectDisposedException)
        {
            _failures.Report(ex);
        }
    }

    private void OnMessage(RedisValue message)
    {
        var text = (string?)message;
        var space = text?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (space <= 0 || space == text!.Length - 1)
        {
            return; // not ours
        }

        if (text.AsSpan(0, space).SequenceEqual(_sender))
        {
            return; // our own announcement: applied before it was sent
        }

        Forget(text[(space + 1)..]);
    }

    private void Forget(string? integrationId)
    {
        _onInvalidated?.Invoke(integrationId);
        Log.ConnectionInvalidatedElsewhere(_logger, integrationId ?? "(all)");
    }
}
