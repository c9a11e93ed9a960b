using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Http.Internal;

/// <summary>
/// A credential that can tell whether a request still carries its current value, so that
/// re-checking it before every attempt costs nothing while it is.
/// </summary>
internal interface ICredentialReapplier
{
    /// <summary>Attaches the current credential unless the request already carries it.</summary>
    ValueTask ReapplyAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}

/// <summary>
/// The innermost handler of every client with <see cref="IntegrationAuthHandler"/>. A handler
/// between the two that sends a request more than once (a resilience handler's retry, which
/// <c>AddJiraClient(id).AddStandardResilienceHandler()</c> puts inside the auth handler) would
/// otherwise resend the token attached before the first attempt, even after another caller
/// refreshed it. Here each attempt carries the connection's current token.
/// </summary>
internal sealed class CredentialReapplyHandler : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<ICredentialApplier> CredentialsKey = new("Scoutflo.Http.Integrations.Credentials");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(CredentialsKey, out var credentials))
        {
            await (credentials is ICredentialReapplier reapplier
                ? reapplier.ReapplyAsync(request, cancellationToken)
                : credentials.ApplyAsync(request, cancellationToken)).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Integration clients support asynchronous sends only; use SendAsync.");
}

/// <summary>The names of the clients <c>AddIntegrationAuth</c> was called on.</summary>
internal sealed class IntegrationAuthClientNames
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Adds <see cref="CredentialReapplyHandler"/> last, after every handler the client's
/// configuration added (in whatever order the consumer called them), so that it is innermost.
/// </summary>
internal sealed class CredentialReapplyFilter(IOptions<IntegrationAuthClientNames> clients) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            if (builder.Name is { } name && clients.Value.Names.Contains(name))
            {
                builder.AdditionalHandlers.Add(new CredentialReapplyHandler());
            }
        };
    }
}
