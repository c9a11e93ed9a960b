namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>The attribute rules of <see cref="SlackOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SlackOptionsAttributeValidator : IValidateOptions<SlackOptions>;

/// <summary>The rules no attribute can say: absolute https URLs, at least one bot scope.</summary>
internal sealed class SlackOptionsValidator(IEnumerable<OAuthAppRequired<SlackOptions>> required)
    : OAuthAppOptionsValidator<SlackOptions>(SlackIntegrationsBuilderExtensions.ConfigurationSectionName, required)
{
    protected override (string? ClientId, string? ClientSecret) ClientCredentials(SlackOptions options) => (options.ClientId, options.ClientSecret);

    protected override bool NamesApp(SlackOptions options) => options.RedirectUri is not null;

    protected override IEnumerable<(Uri? Url, string Key)> Urls(SlackOptions options) =>
    [
        (options.RedirectUri, nameof(options.RedirectUri)),
        (options.AuthorizeEndpoint, nameof(options.AuthorizeEndpoint)),
        (options.TokenEndpoint, nameof(options.TokenEndpoint)),
        (options.ApiBaseUrl, nameof(options.ApiBaseUrl)),
        .. (options.AdditionalApiBaseUrls ?? []).Select(url => ((Uri?)url, nameof(options.AdditionalApiBaseUrls))),
    ];

    protected override void AddProviderRules(ValidateOptionsResultBuilder builder, string section, SlackOptions options, bool appRequired)
    {
        // The scopes are the app's: a connection made from a bot token needs none here.
        if (appRequired && (options.BotScopes is null || !options.BotScopes.Any(s => !string.IsNullOrWhiteSpace(s))))
        {
            builder.AddError($"{section}:BotScopes must name at least one bot scope: a Slack connection's requests use its bot token.");
        }
    }
}
