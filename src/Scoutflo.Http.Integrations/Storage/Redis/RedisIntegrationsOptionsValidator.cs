using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Redis;

/// <summary>
/// The configuration string parses and names a server. (No generated attribute validator: the
/// only property is optional and has no attribute rule, which the generator refuses.)
/// </summary>
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
