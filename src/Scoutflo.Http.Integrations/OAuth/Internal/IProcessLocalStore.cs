namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// A store whose entries never leave this process (the in-memory defaults). The OAuth checks
/// that depend on whether state is shared between replicas ask this, not for a storage type,
/// so OAuth does not depend on the storage folders that implement its contracts.
/// </summary>
internal interface IProcessLocalStore;
