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
        return builder.Build();
    }
}
