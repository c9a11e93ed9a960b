using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an application's own <see cref="IAuthStrategy"/>.</summary>
public static class AuthIntegrationsBuilderExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TStrategy"/> (a singleton) as the strategy of its
    /// <see cref="IAuthStrategy.AuthType"/>. Records of the <c>custom</c> provider may then use that
    /// auth type; the named providers (Atlassian, Slack, Sentry) accept only their own. A strategy
    /// for a built-in auth type replaces the built-in one. The same as
    /// <c>services.AddSingleton&lt;IAuthStrategy, TStrategy&gt;()</c>.
    /// </summary>
    /// <typeparam name="TStrategy">The strategy type.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddAuthStrategy<TStrategy>(this IIntegrationsBuilder builder)
        where TStrategy : class, IAuthStrategy
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IAuthStrategy, TStrategy>();
        return builder;
    }

    /// <summary>Adds <paramref name="strategy"/> as the strategy of its auth type (see <see cref="AddAuthStrategy{TStrategy}(IIntegrationsBuilder)"/>).</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="strategy">The strategy instance.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddAuthStrategy(this IIntegrationsBuilder builder, IAuthStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(strategy);
        builder.Services.AddSingleton(strategy);
        return builder;
    }
}
