using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>The attribute rules of <see cref="SlackOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SlackOptionsAttributeValidator : IValidateOptions<SlackOptions>;

/// <summary>The rules no attribute can say: absolute https URLs, at least one bot scope.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        ProviderUrls.CheckOptionUrl(builder, options.RedirectUri, nameof(SlackOptions.RedirectUri));
        ProviderUrls.CheckOptionUrl(builder, options.AuthorizeEndpoint, nameof(SlackOptions.AuthorizeEndpoint));
        ProviderUrls.CheckOptionUrl(builder, options.TokenEndpoint, nameof(SlackOptions.TokenEndpoint));
        ProviderUrls.CheckOptionUrl(builder, options.ApiBaseUrl, nameof(SlackOptions.ApiBaseUrl));
        foreach (var url in options.AdditionalApiBaseUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, url, nameof(SlackOptions.AdditionalApiBaseUrls));
        }
        if (options.BotScopes is null || !options.BotScopes.Any(s => !string.IsNullOrWhiteSpace(s)))
        {
            builder.AddError("must name at least one bot scope: a Slack connection's requests use its bot token", nameof(SlackOptions.BotScopes));
        }

        return builder.Build();
    }
}
