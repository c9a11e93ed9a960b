using Microsoft.Extensions.Logging.Abstractions;
using Scoutflo.Http.Integrations.Http.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// The middleware: finds the request's integration, points the request at the integration's
/// API base (refusing any other host before anything is sent) and attaches its credential.
/// When the provider refuses a credential that can be refreshed (a 401, or the provider's own
/// signal), it refreshes once and sends a copy of the request once more; a second refusal goes
/// back to the caller.
/// </summary>
public sealed class IntegrationAuthHandler : DelegatingHandler
{
    private readonly IConnectionManager _connections;
    private readonly IntegrationAuthHandlerOptions _options;
    private readonly int _maxReplayBufferBytes;
    private readonly ILogger _logger;
    private readonly IntegrationsMetrics? _metrics;

    /// <summary>Creates the handler.</summary>
    /// <param name="connections">Resolves connections.</param>
    /// <param name="options">The client's settings; <see langword="null"/> for the defaults (no bound integration).</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <param name="maxReplayBufferBytes">The largest body buffered for a resend (see <see cref="ScoutfloIntegrationsOptions.MaxReplayBufferBytes"/>).</param>
    public IntegrationAuthHandler(IConnectionManager connections, IntegrationAuthHandlerOptions? options = null, ILogger<IntegrationAuthHandler>? logger = null, int maxReplayBufferBytes = 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentOutOfRangeException.ThrowIfNegative(maxReplayBufferBytes);
        _connections = connections;
        _options = options ?? new IntegrationAuthHandlerOptions();
        _maxReplayBufferBytes = maxReplayBufferBytes;
        _logger = logger ?? NullLogger<IntegrationAuthHandler>.Instance;
    }

    /// <summary>
    /// Set when the pipeline is built, if handlers sit between this one and the network (e.g. a
    /// resilience handler that resends): the innermost handler then re-attaches the current
    /// token before each attempt.
    /// </summary>
    internal bool ReapplyCredentialsBelow { get; set; }

    internal IntegrationAuthHandler(IConnectionManager connections, IntegrationAuthHandlerOptions? options, ILogger<IntegrationAuthHandler>? logger, int maxReplayBufferBytes, IntegrationsMetrics metrics)
        : this(connections, options, logger, maxReplayBufferBytes)
    {
        _metrics = metrics;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The usual request finds its connection cached and its credential in memory. Then nothing
    /// here awaits, and the inner handler's task goes back to the caller as it is: such a request
    /// costs no state machine and no task of this handler's. Each step that does not complete at
    /// once continues in an async method from where it stopped.
    /// </remarks>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(request);
            var resolving = _connections.ResolveConnectionAsync(IntegrationIdFor(request), cancellationToken);
            if (!resolving.IsCompletedSuccessfully)
            {
                return SendAfterResolvingAsync(request, resolving, cancellationToken);
            }

            var connection = resolving.Result;
            MapRequestUri(request, connection);
            var applying = connection.Credentials.ApplyAsync(request, cancellationToken);
            if (!applying.IsCompletedSuccessfully)
            {
                return SendAfterApplyingAsync(request, connection, applying, cancellationToken);
            }

            applying.GetAwaiter().GetResult();
            OnCredentialApplied(request, connection);
            return SendPrepared(request, connection, cancellationToken);
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<HttpResponseMessage>(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            // As an async method would: the failure travels in the task, not thrown at the call.
            return Task.FromException<HttpResponseMessage>(ex);
        }
    }

    private async Task<HttpResponseMessage> SendAfterResolvingAsync(HttpRequestMessage request, ValueTask<ResolvedConnection> resolving, CancellationToken cancellationToken)
    {
        var connection = await resolving.ConfigureAwait(false);
        MapRequestUri(request, connection);
        await connection.Credentials.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
        OnCredentialApplied(request, connection);
        return await SendPrepared(request, connection, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAfterApplyingAsync(HttpRequestMessage request, ResolvedConnection connection, ValueTask applying, CancellationToken cancellationToken)
    {
        await applying.ConfigureAwait(false);
        OnCredentialApplied(request, connection);
        return await SendPrepared(request, connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request that carries its credential; one that can be refreshed is watched for a refusal.</summary>
    private Task<HttpResponseMessage> SendPrepared(HttpRequestMessage request, ResolvedConnection connection, CancellationToken cancellationToken)
    {
        if (!_options.RefreshOnUnauthorized || !connection.Credentials.CanRefresh)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var replaying = RequestReplay.TryMakeReplayableAsync(request, _maxReplayBufferBytes, cancellationToken);
        if (!replaying.IsCompletedSuccessfully)
        {
            return SendRefreshableAsync(request, connection, replaying, sending: null, checking: null, cancellationToken);
        }

        var sending = base.SendAsync(request, cancellationToken);
        if (!sending.IsCompletedSuccessfully)
        {
            return WatchAsync(request, connection, replaying.Result, sending, cancellationToken);
        }

        ValueTask<bool> checking;
        try
        {
            checking = connection.Credentials.TryRefreshAsync(request, sending.Result, cancellationToken);
        }
        catch
        {
            sending.Result.Dispose();
            throw;
        }

        if (checking.IsCompletedSuccessfully)
        {
            if (!checking.Result)
            {
                return sending;
            }

            // A value task is read once: its result goes on as a new one.
            checking = new ValueTask<bool>(true);
        }

        return SendRefreshableAsync(request, connection, replaying, sending, checking, cancellationToken);
    }

    /// <summary>
    /// Waits for a send already under way and looks at its response: the usual case of a request
    /// that can be refreshed. Only this much is kept across the wait (a state machine with few
    /// fields); a refusal goes on to <see cref="SendRefreshableAsync"/>.
    /// </summary>
    private async Task<HttpResponseMessage> WatchAsync(HttpRequestMessage request, ResolvedConnection connection, bool replayable, Task<HttpResponseMessage> sending, CancellationToken cancellationToken)
    {
        var response = await sending.ConfigureAwait(false);
        ValueTask<bool> checking;
        try
        {
            checking = connection.Credentials.TryRefreshAsync(request, response, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        if (checking.IsCompletedSuccessfully)
        {
            if (!checking.Result)
            {
                return response;
            }

            // A value task is read once: its result goes on as a new one.
            checking = new ValueTask<bool>(true);
        }

        return await SendRefreshableAsync(request, connection, new ValueTask<bool>(replayable), Task.FromResult(response), checking, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request whose credential can be refreshed, and on a refusal refreshes and resends
    /// once. Picks up where <see cref="SendAsync"/> stopped: each step already started is passed
    /// in (and awaited here, once), each step not started yet is <see langword="null"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendRefreshableAsync(
        HttpRequestMessage request,
        ResolvedConnection connection,
        ValueTask<bool> replaying,
        Task<HttpResponseMessage>? sending,
        ValueTask<bool>? checking,
        CancellationToken cancellationToken)
    {
        var credentials = connection.Credentials;
        var replayable = await replaying.ConfigureAwait(false);
        var response = await (sending ?? base.SendAsync(request, cancellationToken)).ConfigureAwait(false);
        bool refreshed;
        try
        {
            refreshed = await (checking ?? credentials.TryRefreshAsync(request, response, cancellationToken)).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        if (!refreshed)
        {
            return response;
        }

        var integrationId = connection.IntegrationId;
        if (!replayable)
        {
            // The refresh still helps the next request; this one's body is gone.
            Log.UnauthorizedReturned(_logger, integrationId, "the body could not be replayed");
            return response;
        }

        Log.RetryAfterRefresh(_logger, integrationId, connection.Provider, (int)response.StatusCode);
        _metrics?.UnauthorizedRetry(connection.Provider);
        response.Dispose();

        // Not disposed here: the copy shares the caller's body, which the caller owns.
        var retry = RequestReplay.Clone(request);
        await credentials.ApplyAsync(retry, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(retry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Not supported: attaching a credential may need I/O, and blocking on it would risk deadlocks. Use <c>SendAsync</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("IntegrationAuthHandler supports asynchronous sends only; use SendAsync.");

    /// <summary>The request's own integration id, else the client's; the client's defaults fill the options the request did not set.</summary>
    private string IntegrationIdFor(HttpRequestMessage request)
    {
        var integrationId = request.GetIntegrationId() ?? _options.IntegrationId
            ?? throw new IntegrationException(IntegrationErrorCodes.IdMissing,
                "The request names no integration: register the client with an integration id, or call request.SetIntegrationId(id).");

        // The client's defaults for what the request did not choose; the common client has none
        // and its requests touch no options.
        IDictionary<string, object?> defaults = _options.DefaultRequestOptions;
        if (defaults.Count > 0)
        {
            IDictionary<string, object?> chosen = request.Options;
            foreach (var (key, value) in defaults)
            {
                chosen.TryAdd(key, value);
            }
        }

        return integrationId;
    }

    /// <summary>Points the request at the connection's API base, or refuses it before anything is sent.</summary>
    private void MapRequestUri(HttpRequestMessage request, ResolvedConnection connection)
    {
        if (!connection.TryMapRequestUri(request.RequestUri, out var target))
        {
            var requested = request.RequestUri is { IsAbsoluteUri: true } uri ? ResolvedConnection.Origin(uri) : "(unmappable path)";
            var allowed = connection.BaseOrigin;
            Log.HostRefused(_logger, connection.IntegrationId, requested, allowed);
            throw new IntegrationHostNotAllowedException(connection.IntegrationId, requested, allowed) { Provider = connection.Provider };
        }

        request.RequestUri = target;
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            Log.RequestMapped(_logger, connection.IntegrationId, ResolvedConnection.Origin(target));
        }
    }

    private void OnCredentialApplied(HttpRequestMessage request, ResolvedConnection connection)
    {
        Log.CredentialAttached(_logger, connection.IntegrationId, connection.Provider, connection.AuthType);
        if (ReapplyCredentialsBelow && connection.Credentials.CanRefresh)
        {
            // For CredentialReapplyHandler: a handler below this one that sends the request
            // again (a resilience retry) must not send a token that was replaced meanwhile.
            request.Options.Set(CredentialReapplyHandler.CredentialsKey, connection.Credentials);
        }
    }
}
