namespace Scoutflo.Http.Integrations.Connections.Internal;

[OptionsValidator]
internal sealed partial class ScoutfloIntegrationsOptionsAttributeValidator : IValidateOptions<ScoutfloIntegrationsOptions>;

/// <summary>The rules no attribute can say.</summary>
internal sealed class ScoutfloIntegrationsOptionsValidator : IValidateOptions<ScoutfloIntegrationsOptions>
{
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>The refresh lock's lease is at least this many token-request timeouts.</summary>
    public const int LeaseToAttemptRatio = 2;

    public ValidateOptionsResult Validate(string? name, ScoutfloIntegrationsOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (options.StateSigningKey is { } key && DecodeKey(key) is null)
        {
            builder.AddError($"must be base64 of at least {MinimumSigningKeyBytes} bytes", nameof(ScoutfloIntegrationsOptions.StateSigningKey));
        }

        // One token attempt must fit in a lease with room to spare: the holder extends the lease
        // every third of it, and a lease shorter than an attempt would expire in the first one
        // whenever an extend is late (Redis slow), letting a second process spend the token.
        if (options.RefreshLockLease < options.TokenRequestTimeout * LeaseToAttemptRatio)
        {
            builder.AddError(
                $"{nameof(ScoutfloIntegrationsOptions.RefreshLockLease)} ({options.RefreshLockLease.TotalSeconds:0.###} s) must be at least {LeaseToAttemptRatio} x {nameof(ScoutfloIntegrationsOptions.TokenRequestTimeout)} ({options.TokenRequestTimeout.TotalSeconds:0.###} s)",
                nameof(ScoutfloIntegrationsOptions.RefreshLockLease));
        }

        // Without a range attribute: the generated validator would name the obsolete property.
#pragma warning disable CS0618 // the obsolete setting is still checked while it is honoured
        if (options.SiteSelectionLifetime < TimeSpan.FromSeconds(10) || options.SiteSelectionLifetime > TimeSpan.FromHours(1))
#pragma warning restore CS0618
        {
            builder.AddError("must be between 00:00:10 and 01:00:00", "SiteSelectionLifetime");
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
