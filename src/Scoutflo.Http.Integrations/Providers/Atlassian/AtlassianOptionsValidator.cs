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
        CheckUrl(builder, options.RedirectUri, nameof(AtlassianOptions.RedirectUri));
        CheckUrl(builder, options.AuthorizeEndpoint, nameof(AtlassianOptions.AuthorizeEndpoint));
        CheckUrl(builder, options.TokenEndpoint, nameof(AtlassianOptions.TokenEndpoint));
        CheckUrl(builder, options.ApiBaseUrl, nameof(AtlassianOptions.ApiBaseUrl));
        return builder.Build();
    }

    internal static void CheckUrl(ValidateOptionsResultBuilder builder, Uri? value, string property)
    {
        // Missing values are the attribute validator's to report.
        if (value is not null && !Providers.ProviderUrls.TryParseBase(value.IsAbsoluteUri ? value.GetLeftPart(UriPartial.Path) : value.OriginalString, out _))
        {
            builder.AddError($"must be an absolute https URL (http only on loopback) without user info", property);
        }
    }
}
