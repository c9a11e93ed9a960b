using Scoutflo.Http.Integrations.Providers.OAuth2.Internal;

namespace Scoutflo.Http.Integrations.Providers.OAuth2;

/// <summary>One <c>AddOAuth2Provider</c> call: the provider name and where its settings come from (for error messages).</summary>
internal sealed record OAuth2ProviderRegistration(string Name, string ConfigurationPath);

/// <summary>
/// The start-up checks of each registered provider's options, naming the configuration key an
/// operator sets: the client credentials; absolute https URLs (http on loopback only) for every
/// URL that receives a secret or a code; a scope separator; the response field names.
/// </summary>
internal sealed class OAuth2ProviderOptionsValidator(IEnumerable<OAuth2ProviderRegistration> registrations) : IValidateOptions<OAuth2ProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, OAuth2ProviderOptions options)
    {
        if (registrations.LastOrDefault(r => r.Name == name) is not { } registration)
        {
            return ValidateOptionsResult.Skip;
        }

        var section = registration.ConfigurationPath;
        var builder = new ValidateOptionsResultBuilder();
        ProviderUrls.CheckOAuthApp(builder, section, options.ClientId, options.ClientSecret,
            (options.AuthorizeUrl, nameof(options.AuthorizeUrl)),
            (options.TokenUrl, nameof(options.TokenUrl)),
            (options.ApiBaseUrl, nameof(options.ApiBaseUrl)),
            (options.RedirectUri, nameof(options.RedirectUri)));
        foreach (var (value, key) in new[] { (options.AuthorizeUrl, nameof(options.AuthorizeUrl)), (options.TokenUrl, nameof(options.TokenUrl)), (options.ApiBaseUrl, nameof(options.ApiBaseUrl)) })
        {
            if (value is null)
            {
                builder.AddError($"{section}:{key} is required but is missing.");
            }
        }

        foreach (var url in options.AdditionalApiBaseUrls ?? [])
        {
            ProviderUrls.CheckOptionUrl(builder, url, $"{section}:{nameof(options.AdditionalApiBaseUrls)}");
        }

        if (string.IsNullOrEmpty(options.ScopeSeparator))
        {
            builder.AddError($"{section}:{nameof(options.ScopeSeparator)} must not be empty (RFC 6749 uses a space).");
        }

        foreach (var reserved in (options.ExtraAuthorizeParameters ?? new Dictionary<string, string>()).Keys.Where(OAuth2AuthorizeUrl.Reserved.Contains))
        {
            builder.AddError($"{section}:{nameof(options.ExtraAuthorizeParameters)}:{reserved} is set by the library and cannot be configured.");
        }

        var fields = options.TokenResponse;
        if (fields is null)
        {
            builder.AddError($"{section}:{nameof(options.TokenResponse)} is required.");
        }
        else
        {
            foreach (var (value, key) in new[]
            {
                (fields.AccessTokenField, nameof(fields.AccessTokenField)), (fields.RefreshTokenField, nameof(fields.RefreshTokenField)),
                (fields.ExpiresInField, nameof(fields.ExpiresInField)), (fields.ScopeField, nameof(fields.ScopeField)),
                (fields.TokenTypeField, nameof(fields.TokenTypeField)),
            })
            {
                ProviderUrls.CheckRequired(builder, value, $"{section}:{nameof(options.TokenResponse)}:{key}");
            }

            if (fields.AcceptedTokenTypes is not { Count: > 0 })
            {
                builder.AddError($"{section}:{nameof(options.TokenResponse)}:{nameof(fields.AcceptedTokenTypes)} must name at least one token type (bearer).");
            }
        }

        return builder.Build();
    }
}
