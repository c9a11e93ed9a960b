using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers.Sentry;

/// <summary>The attribute rules of <see cref="SentryOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SentryOptionsAttributeValidator : IValidateOptions<SentryOptions>;

/// <summary>The rules no attribute can say: absolute https URLs, a slug that stays one path segment.</summary>
internal sealed class SentryOptionsValidator : IValidateOptions<SentryOptions>
{
    public ValidateOptionsResult Validate(string? name, SentryOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        ProviderUrls.CheckOptionUrl(builder, options.BaseUrl, nameof(SentryOptions.BaseUrl));
        ProviderUrls.CheckOptionUrl(builder, options.RedirectUri, nameof(SentryOptions.RedirectUri));
        foreach (var url in options.AdditionalBaseUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, url, nameof(SentryOptions.AdditionalBaseUrls));
        }

        foreach (var url in options.SelfHostedBaseUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, url, nameof(SentryOptions.SelfHostedBaseUrls));
        }

        if (!string.IsNullOrEmpty(options.AppSlug) && !SentryOAuthProvider.IsPathSegment(options.AppSlug))
        {
            builder.AddError("must be the app's slug (letters, digits, '-' and '_')", nameof(SentryOptions.AppSlug));
        }

        return builder.Build();
    }
}
