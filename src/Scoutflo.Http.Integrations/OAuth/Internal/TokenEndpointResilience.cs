using Microsoft.Extensions.Http.Resilience;
using Polly;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// The resilience pipeline of the token-endpoint client: retries (outermost) around a timeout
/// per attempt. Built from <see cref="ScoutfloIntegrationsOptions.TokenRequestRetries"/>,
/// <see cref="ScoutfloIntegrationsOptions.TokenRequestRetryDelay"/> and
/// <see cref="ScoutfloIntegrationsOptions.TokenRequestTimeout"/> unless the consumer replaced it
/// with <c>ConfigureTokenEndpointResilience</c>; on the injected <see cref="TimeProvider"/>.
/// </summary>
internal static class TokenEndpointResilience
{
    public const string PipelineName = "scoutflo-token-endpoint";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        builder.TimeProvider = services.GetRequiredService<TimeProvider>();
        if (services.GetService<Custom>() is { } custom)
        {
            custom.Configure(builder, context);
            return;
        }

        context.EnableReloads<ScoutfloIntegrationsOptions>();
        var settings = context.GetOptions<ScoutfloIntegrationsOptions>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenEndpointClient).FullName!);
        if (settings.TokenRequestRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.TokenRequestRetries,
                Delay = settings.TokenRequestRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,

                // A Retry-After of minutes would outlast the refresh lock's lease: the bounded
                // backoff decides, as before.
                ShouldRetryAfterHeader = false,
                OnRetry = args =>
                {
                    var provider = args.Context.GetRequestMessage()?.Options.TryGetValue(TokenEndpointClient.ProviderKey, out var name) == true ? name : "(unknown)";
                    var failure = args.Outcome.Result is { } response
                        ? $"HTTP {(int)response.StatusCode}"
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    Log.TokenRequestRetry(logger, provider, args.AttemptNumber + 1, failure, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddTimeout(settings.TokenRequestTimeout);
    }

    /// <summary>A consumer's pipeline, in place of the default one.</summary>
    internal sealed class Custom(Action<ResiliencePipelineBuilder<HttpResponseMessage>, ResilienceHandlerContext> configure)
    {
        public void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context) => configure(builder, context);
    }
}
