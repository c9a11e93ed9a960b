using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="IIntegrationIdentityResolver"/> that decides the account of an install.</summary>
public static class IdentityIntegrationsBuilderExtensions
{
    /// <summary>
    /// Makes <typeparamref name="TResolver"/> (a singleton; reach scoped services through
    /// <see cref="IServiceScopeFactory"/>) the source of an install's account: the install service
    /// asks it for the account of <see cref="InstallRequest.UserId"/> and refuses a request that
    /// names another account. Replaces a resolver registered earlier.
    /// </summary>
    /// <typeparam name="TResolver">The resolver type.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddIdentityResolver<TResolver>(this IIntegrationsBuilder builder)
        where TResolver : class, IIntegrationIdentityResolver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IIntegrationIdentityResolver>();
        builder.Services.AddSingleton<IIntegrationIdentityResolver, TResolver>();
        return builder;
    }

    /// <summary>Makes a delegate the source of an install's account (see <see cref="AddIdentityResolver{TResolver}"/>).</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="resolve">Given the installing user and provider, returns the account.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder AddIdentityResolver(
        this IIntegrationsBuilder builder,
        Func<IntegrationIdentityContext, CancellationToken, ValueTask<IntegrationIdentity>> resolve)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(resolve);
        builder.Services.RemoveAll<IIntegrationIdentityResolver>();
        builder.Services.AddSingleton<IIntegrationIdentityResolver>(new DelegateIdentityResolver(resolve));
        return builder;
    }

    private sealed class DelegateIdentityResolver(Func<IntegrationIdentityContext, CancellationToken, ValueTask<IntegrationIdentity>> resolve)
        : IIntegrationIdentityResolver
    {
        public ValueTask<IntegrationIdentity> ResolveAsync(IntegrationIdentityContext context, CancellationToken cancellationToken) =>
            resolve(context, cancellationToken);
    }
}
