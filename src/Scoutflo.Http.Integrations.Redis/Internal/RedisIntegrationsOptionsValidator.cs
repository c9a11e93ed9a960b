using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>The attribute rules of <see cref="RedisIntegrationsOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class RedisIntegrationsOptionsAttributeValidator : IValidateOptions<RedisIntegrationsOptions>;

/// <summary>The configuration string parses and names a server (or a multiplexer is registered).</summary>
internal sealed class RedisIntegrationsOptionsValidator(IServiceProviderIsService registrations) : IValidateOptions<RedisIntegrationsOptions>
{
    // Messages name the configuration key an operator sets, not the C# property.
    private const string ConfigurationKey = "Redis:Configuration";

    public ValidateOptionsResult Validate(string? name, RedisIntegrationsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            // Otherwise the first request (and every health check) would fail instead of the start.
            return registrations.IsService(typeof(IConnectionMultiplexer))
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{ConfigurationKey} is missing or empty, and no IConnectionMultiplexer is registered: UseRedis needs one or the other.");
        }

        var builder = new ValidateOptionsResultBuilder();
        try
        {
            if (ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
            {
                builder.AddError($"{ConfigurationKey} names no Redis server (expected host:port).");
            }
        }
        catch (ArgumentException)
        {
            // The message would echo the string, which may hold a password.
            builder.AddError($"{ConfigurationKey} is not a valid StackExchange.Redis configuration string.");
        }

        return builder.Build();
    }
}
