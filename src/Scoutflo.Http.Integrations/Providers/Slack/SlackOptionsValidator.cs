using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>The attribute rules of <see cref="SlackOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SlackOptionsAttributeValidator : IValidateOptions<SlackOptions>;

/// <summary>The rules no attribute can say: absolute https URLs, at least one bot scope.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    private const string Section = "Slack";

    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        ProviderUrls.CheckOAuthApp(builder, Section, options.ClientId, options.ClientSecret,
            (options.RedirectUri, nameof(options.RedirectUri)),
            (options.AuthorizeEndpoint, nameof(options.AuthorizeEndpoint)),
            (options.TokenEndpoint, nameof(options.TokenEndpoint)),
            (options.ApiBaseUrl, nameof(options.ApiBaseUrl)));
        foreach (var url in options.AdditionalApiBaseUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, url, $"{Section}:AdditionalApiBaseUrls");
        }

        if (options.BotScopes is null || !options.BotScopes.Any(s => !string.IsNullOrWhiteSpace(s)))
        {
            builder.AddError($"{Section}:BotScopes must name at least one bot scope: a Slack connection's requests use its bot token.");
        }

        return builder.Build();
    }
}
