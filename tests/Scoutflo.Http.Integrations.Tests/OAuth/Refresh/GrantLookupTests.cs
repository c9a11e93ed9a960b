using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Tests.OAuth.Refresh;

public sealed class GrantLookupTests
{
    [Fact]
    public async Task SiblingsAsync_AtlassianGrant_TheAccountsOtherProductsHoldingTheSameRefreshToken()
    {
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-shared");
        var confluence = await parts.AddOAuthAsync(IntegrationProviders.Confluence, "rt-shared");
        await parts.AddOAuthAsync(IntegrationProviders.Jsm, "rt-other-grant");
        await parts.AddOAuthAsync(IntegrationProviders.Confluence, "rt-shared", accountId: "another-account");

        var siblings = await parts.Get<GrantLookup>().SiblingsAsync(parts.Connection(jira), jira, CancellationToken.None);

        Assert.Equal([confluence.Id], siblings.Select(s => s.Id));
    }

    [Fact]
    public async Task GrantOwnerAsync_AtlassianProducts_TheLowestIdWhicheverProductAsks()
    {
        await using var parts = new RefreshParts();
        var first = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-1");
        var second = await parts.AddOAuthAsync(IntegrationProviders.Confluence, "rt-2");
        var lowest = string.CompareOrdinal(first.Id, second.Id) < 0 ? first : second;
        var lookup = parts.Get<GrantLookup>();

        Assert.Equal(lowest.Id, (await lookup.GrantOwnerAsync(parts.Connection(first), first, CancellationToken.None)).Id);
        Assert.Equal(lowest.Id, (await lookup.GrantOwnerAsync(parts.Connection(second), second, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task SiblingsAndGrantOwner_ProviderWithoutSharedGrants_NoStoreLookup()
    {
        await using var parts = new RefreshParts();
        var slack = await parts.AddOAuthAsync(IntegrationProviders.Slack, "rt-slack");
        await parts.AddOAuthAsync(IntegrationProviders.Slack, "rt-slack");
        var lookup = parts.Get<GrantLookup>();

        var siblings = await lookup.SiblingsAsync(parts.Connection(slack), slack, CancellationToken.None);
        var owner = await lookup.GrantOwnerAsync(parts.Connection(slack), slack, CancellationToken.None);

        Assert.Empty(siblings);
        Assert.Same(slack, owner);
        Assert.Equal(0, parts.Store.Finds);
    }
}
