using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Storage.Tests.Contracts;

namespace Scoutflo.Http.Integrations.Storage.Tests.InMemory;

// The core's in-memory defaults run the same contracts as the MongoDB and Redis adapters.

public sealed class InMemoryIntegrationStoreContractTests : IntegrationStoreContractTests
{
    protected override IIntegrationStore CreateStore() => new InMemoryIntegrationStore(Time);
}

public sealed class InMemoryTokenCacheContractTests : TokenCacheContractTests
{
    protected override ITokenCache CreateCache() =>
        new InMemoryTokenCache(Time, new OptionsMonitor(new ScoutfloIntegrationsOptions()));

    private sealed class OptionsMonitor(ScoutfloIntegrationsOptions value) : IOptionsMonitor<ScoutfloIntegrationsOptions>
    {
        public ScoutfloIntegrationsOptions CurrentValue => value;

        public ScoutfloIntegrationsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ScoutfloIntegrationsOptions, string?> listener) => null;
    }
}

public sealed class InMemoryDistributedLockContractTests : DistributedLockContractTests
{
    protected override IDistributedLock CreateLock(FakeTimeProvider time) => new InMemoryDistributedLock();
}

public sealed class InMemoryOneTimeStoreContractTests : OneTimeStoreContractTests
{
    protected override IOneTimeStore CreateStore() => new InMemoryOneTimeStore(Time);
}
