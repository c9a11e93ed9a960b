using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="IIntegrationEvents"/> handlers.</summary>
public static class EventsIntegrationsBuilderExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TEvents"/> (a singleton) to the handlers told when a connection
    /// needs re-authorisation or a refresh fails. Adding the same type twice adds it once.
    /// </summary>
    /// <typeparam name="TEvents">The handler type.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddEvents<TEvents>(this IIntegrationsBuilder builder)
        where TEvents : class, IIntegrationEvents
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntegrationEvents, TEvents>());
        return builder;
    }

    /// <summary>Adds a handler instance to the handlers told when a connection needs re-authorisation or a refresh fails.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="events">The handler.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddEvents(this IIntegrationsBuilder builder, IIntegrationEvents events)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(events);
        builder.Services.AddSingleton(events);
        return builder;
    }
}
