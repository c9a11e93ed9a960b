using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers.Atlassian;

/// <summary>The attribute rules of <see cref="AtlassianOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class AtlassianOptionsAttributeValidator : IValidateOptions<AtlassianOptions>;

/// <summary>The rules no attribute can say: absolute URLs, https outside loopback.</summary>
internal sealed class AtlassianOptionsValidator : IValidateOptions<AtlassianOptions>
{
    public ValidateOptionsResult Validate(string? name, AtlassianOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        ProviderUrls.CheckOptionUrl(builder, options.RedirectUri, nameof(AtlassianOptions.RedirectUri));
        ProviderUrls.CheckOptionUrl(builder, options.AuthorizeEndpoint, nameof(AtlassianOptions.AuthorizeEndpoint));
        ProviderUrls.CheckOptionUrl(builder, options.TokenEndpoint, nameof(AtlassianOptions.TokenEndpoint));
        ProviderUrls.CheckOptionUrl(builder, options.ApiBaseUrl, nameof(AtlassianOptions.ApiBaseUrl));
        foreach (var site in options.AdditionalSiteUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, site, nameof(AtlassianOptions.AdditionalSiteUrls));
            if (site is { IsAbsoluteUri: true } && site.AbsolutePath != "/")
            {
                builder.AddError("must be origins (scheme, host and port) without a path", nameof(AtlassianOptions.AdditionalSiteUrls));
            }
        }
        return builder.Build();
    }
}
