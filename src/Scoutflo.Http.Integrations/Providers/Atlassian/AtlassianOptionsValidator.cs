using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers.Atlassian;

/// <summary>The attribute rules of <see cref="AtlassianOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class AtlassianOptionsAttributeValidator : IValidateOptions<AtlassianOptions>;

/// <summary>The rules no attribute can say: absolute URLs, https outside loopback.</summary>
internal sealed class AtlassianOptionsValidator : IValidateOptions<AtlassianOptions>
{
    private const string Section = "Atlassian";

    public ValidateOptionsResult Validate(string? name, AtlassianOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        ProviderUrls.CheckOAuthApp(builder, Section, options.ClientId, options.ClientSecret,
            (options.RedirectUri, nameof(options.RedirectUri)),
            (options.AuthorizeEndpoint, nameof(options.AuthorizeEndpoint)),
            (options.TokenEndpoint, nameof(options.TokenEndpoint)),
            (options.ApiBaseUrl, nameof(options.ApiBaseUrl)));
        foreach (var site in options.AdditionalSiteUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, site, $"{Section}:AdditionalSiteUrls");
            if (site is { IsAbsoluteUri: true } && site.AbsolutePath != "/")
            {
                builder.AddError($"{Section}:AdditionalSiteUrls must be origins (scheme, host and port) without a path.");
            }
        }

        return builder.Build();
    }
}
