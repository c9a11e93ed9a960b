namespace Scoutflo.Http.Integrations.KeepAlive.Internal;

[OptionsValidator]
internal sealed partial class IntegrationKeepAliveOptionsValidator : IValidateOptions<IntegrationKeepAliveOptions>;
