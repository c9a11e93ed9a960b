using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Scoutflo.Http.Integrations.Load;

/// <summary>
/// Atlassian's token endpoint and API, shaped like the real ones, on Kestrel at 127.0.0.1: a
/// refresh (JSON body) spends its single-use refresh token and answers a new one after a set
/// delay; a spent token is refused with <c>invalid_grant</c> (and counted: a burned grant). The
/// API answers a small JSON to any request that carries a credential.
/// </summary>
internal sealed class FakeAtlassian : IAsyncDisposable
{
    public const string CloudId = "7a1c3a5e-0000-4000-8000-00000000100a";
    public const string ClientId = "load-client";
    public const string ClientSecret = "load-secret";

    private static readonly byte[] Myself = Encoding.UTF8.GetBytes("""{"accountId":"5b10a2844c20165700ede21g","displayName":"Load Test","active":true}""");

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _liveRefreshTokens = new(StringComparer.Ordinal);
    private readonly TimeSpan _tokenDelay;
    private int _refreshCalls;
    private int _refused;
    private long _lastTokenStarted;
    private long _lastTokenAnswered;

    private FakeAtlassian(WebApplication app, TimeSpan tokenDelay)
    {
        _app = app;
        _tokenDelay = tokenDelay;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri TokenEndpoint => new(BaseAddress, "oauth/token");

    public Uri ApiBaseUrl => BaseAddress;

    /// <summary>The API URL of Jira's <c>myself</c>, on the API base (no rewrite needed).</summary>
    public Uri MyselfUrl => new(BaseAddress, $"ex/jira/{CloudId}/rest/api/3/myself");

    public Uri ApiKeyBase => new(BaseAddress, "api/");

    public Uri ItemsUrl => new(BaseAddress, "api/items");

    public int RefreshCalls => Volatile.Read(ref _refreshCalls);

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Stopwatch timestamps of the last refresh: its request's arrival and its answer's end.</summary>
    public (long Started, long Answered) LastRefresh => (Interlocked.Read(ref _lastTokenStarted), Interlocked.Read(ref _lastTokenAnswered));

    public static async Task<FakeAtlassian> StartAsync(TimeSpan tokenDelay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeAtlassian(app, tokenDelay);
        app.MapPost("/oauth/token", fake.TokenAsync);
        app.MapGet("/ex/jira/{cloudId}/rest/api/3/myself", ctx => Answer(ctx, "Authorization"));
        app.MapGet("/api/items", ctx => Answer(ctx, "X-Api-Key"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>A refresh token the endpoint will accept once.</summary>
    public string IssueRefreshToken()
    {
        var token = "rt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _liveRefreshTokens[token] = 0;
        return token;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static Task Answer(HttpContext context, string header)
    {
        if (string.IsNullOrEmpty(context.Request.Headers[header]))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Myself.Length;
        return context.Response.Body.WriteAsync(Myself, 0, Myself.Length, context.RequestAborted);
    }

    private async Task TokenAsync(HttpContext context)
    {
        Interlocked.Exchange(ref _lastTokenStarted, Stopwatch.GetTimestamp());
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = body.RootElement;
        if (root.GetProperty("grant_type").GetString() != "refresh_token"
            || root.GetProperty("client_id").GetString() != ClientId
            || root.GetProperty("client_secret").GetString() != ClientSecret)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("""{"error":"access_denied","error_description":"Unauthorized"}""");
            return;
        }

        Interlocked.Increment(ref _refreshCalls);
        await Task.Delay(_tokenDelay, context.RequestAborted);
        var spent = root.GetProperty("refresh_token").GetString() ?? string.Empty;
        if (!_liveRefreshTokens.TryRemove(spent, out _))
        {
            // Rotating refresh tokens are single use (leeway 0, as the Atlassian fake's default).
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}""");
            return;
        }

        var answer = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["access_token"] = "at-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["refresh_token"] = IssueRefreshToken(),
            ["expires_in"] = 3600,
            ["token_type"] = "Bearer",
            ["scope"] = "read:jira-work read:jira-user write:jira-work offline_access",
        });
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer);
        await context.Response.CompleteAsync();
        Interlocked.Exchange(ref _lastTokenAnswered, Stopwatch.GetTimestamp());
    }
}
