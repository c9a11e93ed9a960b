using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes;

/// <summary>
/// What every provider fake has: one loopback server that routes every request to the fake's
/// handler, the request counters, the queued token-endpoint faults and response edits, and the
/// browser that follows an authorize URL. A fake adds its provider's endpoints and habits.
/// </summary>
public abstract class ProviderFake : IDisposable
{
    private FakeServer? _server;
    private int _tokenEndpointCalls;
    private int _codeExchangeCalls;
    private int _refreshCalls;
    private int _apiCalls;

    /// <summary>The server root (<c>http://127.0.0.1:port/</c>), with a trailing slash.</summary>
    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Requests to the token endpoint, of every grant type, failed ones included.</summary>
    public int TokenEndpointCalls => Volatile.Read(ref _tokenEndpointCalls);

    /// <summary>Token-endpoint requests exchanging an authorization code, failed ones included.</summary>
    public int CodeExchangeCalls => Volatile.Read(ref _codeExchangeCalls);

    /// <summary>Token-endpoint requests exchanging a refresh token, failed ones included.</summary>
    public int RefreshCalls => Volatile.Read(ref _refreshCalls);

    /// <summary>Requests to the provider's API (not its token endpoint), failed ones included.</summary>
    public int ApiCalls => Volatile.Read(ref _apiCalls);

    /// <summary>Faults queued for the next token-endpoint requests.</summary>
    private protected FaultQueue TokenFaults { get; } = new();

    /// <summary>Edits queued for the next successful token-endpoint answers.</summary>
    private protected ResponseEdits TokenEdits { get; } = new();

    /// <summary>Faults queued for the next API requests.</summary>
    private protected FaultQueue ApiFaults { get; } = new();

    private FakeServer Server => _server ?? throw new InvalidOperationException("The fake's server has not been started.");

    /// <summary>
    /// The next <paramref name="count"/> token endpoint requests are answered with a redirect
    /// (<paramref name="statusCode"/>: 301, 302, 303, 307 or 308) to <paramref name="location"/>,
    /// without being processed, as a hijacked or misconfigured endpoint would answer.
    /// </summary>
    /// <param name="count">How many requests are redirected.</param>
    /// <param name="statusCode">The redirect status.</param>
    /// <param name="location">Where to, e.g. a <see cref="RecordingServer"/>.</param>
    public void RedirectNextTokenRequests(int count, int statusCode, Uri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        TokenFaults.Enqueue(count, new Fault(statusCode, null, location));
    }

    /// <summary>
    /// The next <paramref name="count"/> successful token responses are processed as usual (a
    /// code is spent, a refresh token rotated) and then edited by <paramref name="edit"/> before
    /// they are sent: a wrong <c>token_type</c>, an odd <c>expires_in</c>, and so on.
    /// </summary>
    /// <param name="count">How many responses are edited.</param>
    /// <param name="edit">Changes the JSON object of the answer.</param>
    public void EditNextTokenResponses(int count, Action<JsonObject> edit) => TokenEdits.Enqueue(count, edit);

    /// <summary>The next <paramref name="count"/> token endpoint requests answer <paramref name="statusCode"/> unprocessed.</summary>
    /// <param name="count">How many requests fail.</param>
    /// <param name="statusCode">The status, e.g. 500 or 503.</param>
    public void FailNextTokenRequests(int count, int statusCode = 503) =>
        TokenFaults.Enqueue(count, new Fault(statusCode, null));

    /// <summary>Sets every counter back to zero (a fake with more resets them too).</summary>
    public virtual void ResetCounters()
    {
        Interlocked.Exchange(ref _tokenEndpointCalls, 0);
        Interlocked.Exchange(ref _codeExchangeCalls, 0);
        Interlocked.Exchange(ref _refreshCalls, 0);
        Interlocked.Exchange(ref _apiCalls, 0);
    }

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the server.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _server?.Dispose();
        }
    }

    /// <summary>
    /// Starts the server, once the fake's own state is ready (so that a fake whose options are
    /// refused starts nothing).
    /// </summary>
    /// <param name="handler">Answers every request.</param>
    /// <param name="port">A fixed port, or null for a free one.</param>
    private protected void Start(Func<IRequestMessage, Task<IResponseMessage>> handler, int? port)
    {
        if (_server is not null)
        {
            throw new InvalidOperationException("The fake's server is already started.");
        }

        _server = new FakeServer(handler, port);
    }

    /// <summary>Plays the user's browser on an authorize URL: returns the redirect it answers with.</summary>
    /// <param name="authorizeUrl">The authorize URL.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    private protected Task<Uri> FollowAuthorizeAsync(Uri authorizeUrl, CancellationToken cancellationToken) =>
        Server.FollowAuthorizeAsync(authorizeUrl, cancellationToken);

    /// <summary>
    /// Counts one token-endpoint request of <paramref name="grantType"/>, then plays the next
    /// queued fault: its delay, then its redirect or <paramref name="failure"/> of its status.
    /// </summary>
    /// <param name="grantType"><c>authorization_code</c>, <c>refresh_token</c> or another (counted only as a token-endpoint call).</param>
    /// <param name="failure">The provider's failure answer for a status.</param>
    /// <returns>The fault's answer, or null to process the request.</returns>
    private protected async Task<ResponseMessage?> BeginTokenRequestAsync(string? grantType, Func<int, ResponseMessage> failure)
    {
        CountTokenEndpointCall();
        if (grantType == "refresh_token")
        {
            CountRefresh();
        }
        else if (grantType == "authorization_code")
        {
            CountCodeExchange();
        }

        if (TokenFaults.TryDequeue() is not { } fault)
        {
            return null;
        }

        if (fault.Location is { } location)
        {
            return FakeHttp.RedirectTo(fault.StatusCode, location);
        }

        return fault.StatusCode != 0 ? failure(fault.StatusCode) : null;
    }

    /// <summary>Counts one token-endpoint request.</summary>
    private protected void CountTokenEndpointCall() => Interlocked.Increment(ref _tokenEndpointCalls);

    /// <summary>Counts one code exchange.</summary>
    private protected void CountCodeExchange() => Interlocked.Increment(ref _codeExchangeCalls);

    /// <summary>Counts one refresh.</summary>
    private protected void CountRefresh() => Interlocked.Increment(ref _refreshCalls);

    /// <summary>Counts one API request.</summary>
    private protected void CountApiCall() => Interlocked.Increment(ref _apiCalls);
}
