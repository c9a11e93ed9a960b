using Microsoft.Extensions.Http;
using Scoutflo.Http.Integrations.Auth.Internal;

namespace Scoutflo.Http.Integrations.Http.Internal;

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

/// <summary>
/// Adds <see cref="CredentialReapplyHandler"/> last, after every handler the client's
/// configuration added (in whatever order the consumer called them), so that it is innermost;
/// only to a client where some handler sits inside the auth handler. A client whose auth
/// handler is already innermost (the default) keeps its pipeline and its per-request cost.
/// </summary>
internal sealed class CredentialReapplyFilter : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            var handlers = builder.AdditionalHandlers;

            // IHttpClientFactory's request loggers (AddLogger) never resend: they do not count.
            var innermost = handlers.Count - 1;
            while (innermost >= 0 && handlers[innermost].GetType().Namespace == "Microsoft.Extensions.Http.Logging")
            {
                innermost--;
            }

            for (var i = innermost; i >= 0; i--)
            {
                if (handlers[i] is IntegrationAuthHandler auth)
                {
                    if (i < innermost)
                    {
                        auth.ReapplyCredentialsBelow = true;
                        handlers.Add(new CredentialReapplyHandler());
                    }

                    return;
                }
            }
        };
    }
}
