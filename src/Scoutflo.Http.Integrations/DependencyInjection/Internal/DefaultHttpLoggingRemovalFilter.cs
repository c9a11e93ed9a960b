using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Logging;

namespace Scoutflo.Http.Integrations.DependencyInjection.Internal;

/// <summary>Marks (as named options) the clients whose default request loggers are taken out.</summary>
internal sealed class DefaultHttpLoggingRemoval
{
    public bool Enabled { get; set; }
}

/// <summary>
/// Takes IHttpClientFactory's two default logging handlers (<see cref="LoggingScopeHttpMessageHandler"/>
/// and <see cref="LoggingHttpMessageHandler"/>) out of the marked clients, and nothing else:
/// <c>RemoveAllLoggers()</c> would also drop the loggers the application added with <c>AddLogger</c>
/// before this library's registration, and there is no public switch for the defaults alone.
/// Registered first (outermost), so it runs after the factory's logging filter has added them.
/// </summary>
internal sealed class DefaultHttpLoggingRemovalFilter(IOptionsMonitor<DefaultHttpLoggingRemoval> marks) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            if (marks.Get(builder.Name).Enabled)
            {
                var handlers = builder.AdditionalHandlers;
                for (var i = handlers.Count - 1; i >= 0; i--)
                {
                    if (handlers[i] is LoggingScopeHttpMessageHandler or LoggingHttpMessageHandler)
                    {
                        handlers.RemoveAt(i);
                    }
                }
            }
        };
    }
}
