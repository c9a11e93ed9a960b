using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Connections.Internal;

[OptionsValidator]
internal sealed partial class ScoutfloIntegrationsOptionsValidator : IValidateOptions<ScoutfloIntegrationsOptions>;
