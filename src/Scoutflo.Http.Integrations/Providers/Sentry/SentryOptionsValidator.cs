namespace Scoutflo.Http.Integrations.Providers.Sentry;

/// <summary>The attribute rules of <see cref="SentryOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SentryOptionsAttributeValidator : IValidateOptions<SentryOptions>;

/// <summary>The rules no attribute can say: absolute https URLs, a slug that stays one path segment.</summary>
internal sealed class SentryOptionsValidator(IEnumerable<OAuthAppRequired<SentryOptions>> required)
    : OAuthAppOptionsValidator<SentryOptions>(SentryIntegrationsBuilderExtensions.ConfigurationSectionName, required)
{
    protected override (string? ClientId, string? ClientSecret) ClientCredentials(SentryOptions options) => (options.ClientId, options.ClientSecret);

    protected override bool NamesApp(SentryOptions options) => options.RedirectUri is not null || !string.IsNullOrEmpty(options.AppSlug);

    protected override IEnumerable<(Uri? Url, string Key)> Urls(SentryOptions options) =>
    [
        (options.BaseUrl, nameof(options.BaseUrl)),
        (options.RedirectUri, nameof(options.RedirectUri)),
        .. (options.AdditionalBaseUrls ?? []).Select(url => ((Uri?)url, nameof(options.AdditionalBaseUrls))),
        .. (options.SelfHostedBaseUrls ?? []).Select(url => ((Uri?)url, nameof(options.SelfHostedBaseUrls))),
    ];

    protected override void AddProviderRules(ValidateOptionsResultBuilder builder, string section, SentryOptions options, bool appRequired)
    {
        if (appRequired)
        {
            ProviderUrls.CheckRequired(builder, options.AppSlug, $"{section}:AppSlug");
        }

        if (!string.IsNullOrEmpty(options.AppSlug) && !SentryOAuthProvider.IsPathSegment(options.AppSlug))
        {
            builder.AddError($"{section}:AppSlug must be the app's slug (letters, digits, '-' and '_').");
        }
    }
}
