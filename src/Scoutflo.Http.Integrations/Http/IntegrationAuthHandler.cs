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
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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

        var connection = await _connections.ResolveConnectionAsync(integrationId, cancellationToken).ConfigureAwait(false);
        await PrepareAsync(request, connection, cancellationToken).ConfigureAwait(false);
        var credentials = connection.Credentials;
        if (!_options.RefreshOnUnauthorized || !credentials.CanRefresh)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var replayable = await RequestReplay.TryMakeReplayableAsync(request, _maxReplayBufferBytes, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        bool refreshed;
        try
        {
            refreshed = await credentials.TryRefreshAsync(request, response, cancellationToken).ConfigureAwait(false);
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

    private async ValueTask PrepareAsync(HttpRequestMessage request, ResolvedConnection connection, CancellationToken cancellationToken)
    {
        if (!connection.TryMapRequestUri(request.RequestUri, out var target))
        {
            var requested = request.RequestUri is { IsAbsoluteUri: true } uri ? ResolvedConnection.Origin(uri) : "(unmappable path)";
            var allowed = ResolvedConnection.Origin(connection.BaseAddress);
            Log.HostRefused(_logger, connection.IntegrationId, requested, allowed);
            throw new IntegrationHostNotAllowedException(connection.IntegrationId, requested, allowed) { Provider = connection.Provider };
        }

        request.RequestUri = target;
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            Log.RequestMapped(_logger, connection.IntegrationId, ResolvedConnection.Origin(target));
        }

        await connection.Credentials.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
        Log.CredentialAttached(_logger, connection.IntegrationId, connection.Provider, connection.AuthType);
        if (ReapplyCredentialsBelow && connection.Credentials.CanRefresh)
        {
            // For CredentialReapplyHandler: a handler below this one that sends the request
            // again (a resilience retry) must not send a token that was replaced meanwhile.
            request.Options.Set(CredentialReapplyHandler.CredentialsKey, connection.Credentials);
        }
    }
}
