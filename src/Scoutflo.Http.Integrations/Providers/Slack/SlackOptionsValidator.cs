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
        ProviderUrls.CheckRequired(builder, options.ClientId, $"{Section}:ClientId");
        ProviderUrls.CheckRequired(builder, options.ClientSecret, $"{Section}:ClientSecret");
        ProviderUrls.CheckOptionUrl(builder, options.RedirectUri, $"{Section}:RedirectUri");
        ProviderUrls.CheckOptionUrl(builder, options.AuthorizeEndpoint, $"{Section}:AuthorizeEndpoint");
        ProviderUrls.CheckOptionUrl(builder, options.TokenEndpoint, $"{Section}:TokenEndpoint");
        ProviderUrls.CheckOptionUrl(builder, options.ApiBaseUrl, $"{Section}:ApiBaseUrl");
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
