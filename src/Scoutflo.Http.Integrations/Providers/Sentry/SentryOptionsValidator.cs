using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers.Sentry;

/// <summary>The attribute rules of <see cref="SentryOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SentryOptionsAttributeValidator : IValidateOptions<SentryOptions>;

/// <summary>The rules no attribute can say: absolute https URLs, a slug that stays one path segment.</summary>
internal sealed class SentryOptionsValidator : IValidateOptions<SentryOptions>
{
    private const string Section = "Sentry";

    public ValidateOptionsResult Validate(string? name, SentryOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        ProviderUrls.CheckOAuthApp(builder, Section, options.ClientId, options.ClientSecret,
            (options.BaseUrl, nameof(options.BaseUrl)),
            (options.RedirectUri, nameof(options.RedirectUri)));
        ProviderUrls.CheckRequired(builder, options.AppSlug, $"{Section}:AppSlug");
        foreach (var url in options.AdditionalBaseUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, url, $"{Section}:AdditionalBaseUrls");
        }

        foreach (var url in options.SelfHostedBaseUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, url, $"{Section}:SelfHostedBaseUrls");
        }

        if (!string.IsNullOrEmpty(options.AppSlug) && !SentryOAuthProvider.IsPathSegment(options.AppSlug))
        {
            builder.AddError($"{Section}:AppSlug must be the app's slug (letters, digits, '-' and '_').");
        }

        return builder.Build();
    }
}
