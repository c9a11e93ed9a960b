namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>The registered OAuth providers looked up by provider name.</summary>
internal static class OAuthProviderMap
{
    /// <summary>
    /// Maps every name a provider serves (Atlassian: jira, jsm, confluence) to it. When two
    /// registrations serve one name, the later wins, as a later DI registration does.
    /// </summary>
    public static FrozenDictionary<string, IOAuthProvider> ByName(IEnumerable<IOAuthProvider> providers) =>
        providers
            .SelectMany(p => p.Providers.Select(name => KeyValuePair.Create(name, p)))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
}
