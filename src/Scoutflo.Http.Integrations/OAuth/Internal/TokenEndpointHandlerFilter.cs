using Microsoft.Extensions.Http;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Shapes the token-endpoint client's pipeline after every other configuration has run
/// (<c>ConfigurePrimaryHttpMessageHandler</c>, <c>ConfigureHttpClientDefaults</c>,
/// <c>AddHttpMessageHandler</c>, other filters): redirects are switched off on every primary
/// handler of a known kind (also inside a delegating wrapper), and <see cref="TokenEndpointGuard"/>
/// goes in last, directly above the primary handler. Registered as the outermost filter, so that
/// its work comes after everyone else's.
/// </summary>
internal sealed class TokenEndpointHandlerFilter : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            if (!string.Equals(builder.Name, TokenEndpointClient.HttpClientName, StringComparison.Ordinal))
            {
                return;
            }

            builder.AdditionalHandlers.Add(new TokenEndpointGuard(primaryMayRedirect: !TrySwitchOffRedirects(builder.PrimaryHandler)));
        };
    }

    /// <summary>False when a handler follows redirects and can no longer be changed (it has sent already).</summary>
    internal static bool TrySwitchOffRedirects(HttpMessageHandler? handler)
    {
        for (var current = handler; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            try
            {
                switch (current)
                {
                    case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                        sockets.AllowAutoRedirect = false;
                        break;
                    case HttpClientHandler { AllowAutoRedirect: true } client:
                        client.AllowAutoRedirect = false;
                        break;
                }
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        return true;
    }
}
