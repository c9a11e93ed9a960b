using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Redis;

/// <summary>The attribute rules of <see cref="RedisIntegrationsOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class RedisIntegrationsOptionsAttributeValidator : IValidateOptions<RedisIntegrationsOptions>;

/// <summary>The configuration string parses and names a server.</summary>
internal sealed class RedisIntegrationsOptionsValidator : IValidateOptions<RedisIntegrationsOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisIntegrationsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            return ValidateOptionsResult.Success;
        }

        var builder = new ValidateOptionsResultBuilder();
        try
        {
            if (ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
            {
                builder.AddError("names no Redis server (expected host:port)", nameof(RedisIntegrationsOptions.Configuration));
            }
        }
        catch (ArgumentException)
        {
            // The message would echo the string, which may hold a password.
            builder.AddError("is not a valid StackExchange.Redis configuration string", nameof(RedisIntegrationsOptions.Configuration));
        }

        return builder.Build();
    }
}
