namespace Scoutflo.Http.Integrations.Providers.Atlassian;

/// <summary>The attribute rules of <see cref="AtlassianOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class AtlassianOptionsAttributeValidator : IValidateOptions<AtlassianOptions>;

/// <summary>The rules no attribute can say: absolute URLs, https outside loopback, site origins without a path.</summary>
internal sealed class AtlassianOptionsValidator(IEnumerable<OAuthAppRequired<AtlassianOptions>> required)
    : OAuthAppOptionsValidator<AtlassianOptions>(AtlassianIntegrationsBuilderExtensions.ConfigurationSectionName, required)
{
    protected override (string? ClientId, string? ClientSecret) ClientCredentials(AtlassianOptions options) => (options.ClientId, options.ClientSecret);

    protected override bool NamesApp(AtlassianOptions options) => options.RedirectUri is not null;

    protected override IEnumerable<(Uri? Url, string Key)> Urls(AtlassianOptions options) =>
    [
        (options.RedirectUri, nameof(options.RedirectUri)),
        (options.AuthorizeEndpoint, nameof(options.AuthorizeEndpoint)),
        (options.TokenEndpoint, nameof(options.TokenEndpoint)),
        (options.ApiBaseUrl, nameof(options.ApiBaseUrl)),
        .. (options.AdditionalSiteUrls ?? []).Select(site => ((Uri?)site, nameof(options.AdditionalSiteUrls))),
    ];

    protected override void AddProviderRules(ValidateOptionsResultBuilder builder, string section, AtlassianOptions options, bool appRequired)
    {
        if ((options.AdditionalSiteUrls ?? []).Any(site => site is { IsAbsoluteUri: true } && site.AbsolutePath != "/"))
        {
            builder.AddError($"{section}:AdditionalSiteUrls must be origins (scheme, host and port) without a path.");
        }
    }
}
