using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Connections.Internal;

[OptionsValidator]
internal sealed partial class ScoutfloIntegrationsOptionsAttributeValidator : IValidateOptions<ScoutfloIntegrationsOptions>;

/// <summary>The rules no attribute can say.</summary>
internal sealed class ScoutfloIntegrationsOptionsValidator : IValidateOptions<ScoutfloIntegrationsOptions>
{
    public const int MinimumSigningKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, ScoutfloIntegrationsOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (options.StateSigningKey is { } key && DecodeKey(key) is null)
        {
            builder.AddError($"must be base64 of at least {MinimumSigningKeyBytes} bytes", nameof(ScoutfloIntegrationsOptions.StateSigningKey));
        }

        return builder.Build();
    }

    public static byte[]? DecodeKey(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var written) && written >= MinimumSigningKeyBytes
            ? buffer[..written]
            : null;
    }
}
