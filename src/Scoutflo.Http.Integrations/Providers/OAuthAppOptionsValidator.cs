namespace Scoutflo.Http.Integrations.Providers;

/// <summary>
/// Says that the application asked for a provider's OAuth app (<c>AddSlack(configure)</c>,
/// <c>AddSlack(configuration)</c>), so that its client id and secret are required at start.
/// </summary>
/// <typeparam name="TOptions">The provider's options.</typeparam>
internal sealed class OAuthAppRequired<TOptions>
    where TOptions : class;

/// <summary>
/// The start-up checks every provider's app options share, named by configuration key: the client
/// id and secret, and the URL rule for each URL that would receive a secret or send requests.
/// Records with static credentials (api_key, Basic, an auth token) need no app, so the client
/// credentials are required only when the app was asked for or any of its settings is set; the URLs always.
/// </summary>
/// <typeparam name="TOptions">The provider's options.</typeparam>
/// <param name="section">The configuration section the messages name (<c>Slack</c>).</param>
/// <param name="required">Present when the application asked for the app.</param>
internal abstract class OAuthAppOptionsValidator<TOptions>(string section, IEnumerable<OAuthAppRequired<TOptions>> required) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        var (clientId, clientSecret) = ClientCredentials(options);
        var appRequired = required.Any() || !string.IsNullOrEmpty(clientId) || !string.IsNullOrEmpty(clientSecret) || NamesApp(options);
        if (appRequired)
        {
            ProviderUrls.CheckRequired(builder, clientId, $"{section}:ClientId");
            ProviderUrls.CheckRequired(builder, clientSecret, $"{section}:ClientSecret");
        }

        foreach (var (url, key) in Urls(options))
        {
            ProviderUrls.CheckOptionUrl(builder, url, $"{section}:{key}");
        }

        AddProviderRules(builder, section, options, appRequired);
        return builder.Build();
    }

    /// <summary>The app's client id and secret.</summary>
    protected abstract (string? ClientId, string? ClientSecret) ClientCredentials(TOptions options);

    /// <summary>Whether a setting only an app has (a redirect URI, a slug) is set, so that an app is meant.</summary>
    protected abstract bool NamesApp(TOptions options);

    /// <summary>Every configured URL (lists item by item), with the key that names it.</summary>
    protected abstract IEnumerable<(Uri? Url, string Key)> Urls(TOptions options);

    /// <summary>The provider's own rules; <paramref name="appRequired"/> says whether the app's settings must be complete.</summary>
    protected abstract void AddProviderRules(ValidateOptionsResultBuilder builder, string section, TOptions options, bool appRequired);
}
