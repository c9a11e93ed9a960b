using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.Errors.Internal;

// The statuses of the codes only the Atlassian install raises (README's error-code table).
[assembly: ErrorStatus(IntegrationErrorCodes.AtlassianSiteSelectionInvalid, 400)]
[assembly: ErrorStatus(IntegrationErrorCodes.AtlassianSiteUnknown, 400)]
[assembly: ErrorStatus(IntegrationErrorCodes.AtlassianSiteSelectionRequired, 409)]
[assembly: ErrorStatus(IntegrationErrorCodes.AtlassianNoAccessibleResources, 424)]
