using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Tests.OAuth.Refresh;

public sealed class RotationWriterTests
{
    [Fact]
    public async Task WriteAsync_RecordAndSiblingHoldTheSpentToken_BothTakeTheRotationAndBothAreCached()
    {
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-old");
        var confluence = await parts.AddOAuthAsync(IntegrationProviders.Confluence, "rt-old");
        var tokens = RefreshParts.Tokens("at-new", "rt-new", parts.Now.AddHours(1));

        var outcome = await parts.Get<RotationWriter>().WriteAsync(parts.Connection(jira), jira, jira, [confluence], "rt-old", tokens, CancellationToken.None);

        Assert.True(outcome.Written);
        Assert.Equal("at-new", outcome.Token?.Token);
        Assert.Equal(1, outcome.SiblingsUpdated);
        foreach (var record in new[] { jira, confluence })
        {
            var stored = await parts.Store.GetAsync(record.Id);
            Assert.Equal("rt-new", stored!.GetCredential(IntegrationCredentialKeys.RefreshToken));
            Assert.Equal("at-new", await parts.CachedAccessTokenAsync(record));
        }

        Assert.Null(await parts.JournalAsync(jira));
    }

    [Fact]
    public async Task WriteAsync_RecordMovedToAnotherGrant_WritesNothingCachesNothingAndDropsItsJournal()
    {
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-reinstalled", accessToken: "at-reinstalled");
        var tokens = RefreshParts.Tokens("at-new", "rt-new", parts.Now.AddHours(1));

        var outcome = await parts.Get<RotationWriter>().WriteAsync(parts.Connection(jira), jira, jira, [], "rt-old", tokens, CancellationToken.None);

        Assert.False(outcome.Written);
        Assert.Null(outcome.Token);
        var stored = await parts.Store.GetAsync(jira.Id);
        Assert.Equal("rt-reinstalled", stored!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Null(await parts.CachedAccessTokenAsync(jira));
        Assert.Null(await parts.JournalAsync(jira));
    }

    [Fact]
    public async Task WriteAsync_WhileEachRecordIsWritten_ItsNewAccessTokenIsNotCachedYet()
    {
        // The storage contract's order: the rotated refresh token is persisted (record and
        // siblings) before the new access token is used or cached, so that no process (ours
        // or the TypeScript SDK) works with a token whose refresh token the store may never hold.
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-old");
        var confluence = await parts.AddOAuthAsync(IntegrationProviders.Confluence, "rt-old");
        var cachedDuringWrites = new List<string?>();
        parts.Store.BeforeUpdate = async record =>
        {
            cachedDuringWrites.Add(await parts.CachedAccessTokenAsync(jira));
            cachedDuringWrites.Add(await parts.CachedAccessTokenAsync(confluence));
        };

        var outcome = await parts.Get<RotationWriter>().WriteAsync(parts.Connection(jira), jira, jira, [confluence], "rt-old",
            RefreshParts.Tokens("at-new", "rt-new", parts.Now.AddHours(1)), CancellationToken.None);

        Assert.Equal(1, outcome.SiblingsUpdated);
        Assert.Equal(4, cachedDuringWrites.Count);
        Assert.All(cachedDuringWrites, Assert.Null);
        Assert.Equal("at-new", await parts.CachedAccessTokenAsync(confluence));
    }

    [Fact]
    public async Task WriteAsync_StoreWriteFails_CachesNothingAndKeepsTheJournal()
    {
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-old");
        var tokens = RefreshParts.Tokens("at-new", "rt-new", parts.Now.AddHours(1));
        parts.Store.UpdateFailure = new InvalidOperationException("the store is down");

        var error = await Assert.ThrowsAsync<IntegrationException>(() =>
            parts.Get<RotationWriter>().WriteAsync(parts.Connection(jira), jira, jira, [], "rt-old", tokens, CancellationToken.None));

        Assert.Equal(IntegrationErrorCodes.StoreWriteFailed, error.ErrorCode);
        Assert.IsType<InvalidOperationException>(error.InnerException);

        // The store still holds the spent token: the cache may not run ahead of it, and the
        // journal keeps the rotated refresh token for whoever adopts it.
        Assert.Null(await parts.CachedAccessTokenAsync(jira));
        Assert.NotNull(await parts.JournalAsync(jira));
    }

    [Fact]
    public async Task WriteAsync_SiblingDeletedMeanwhile_RecordWrittenAndCached_TheSiblingNeither()
    {
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-old");
        var confluence = await parts.AddOAuthAsync(IntegrationProviders.Confluence, "rt-old");
        Assert.True(await parts.Store.DeleteAsync(confluence.Id));
        var tokens = RefreshParts.Tokens("at-new", "rt-new", parts.Now.AddHours(1));

        var outcome = await parts.Get<RotationWriter>().WriteAsync(parts.Connection(jira), jira, jira, [confluence], "rt-old", tokens, CancellationToken.None);

        Assert.True(outcome.Written);
        Assert.Equal("at-new", outcome.Token?.Token);
        Assert.Equal(0, outcome.SiblingsUpdated);
        Assert.Equal("at-new", await parts.CachedAccessTokenAsync(jira));
        Assert.Null(await parts.CachedAccessTokenAsync(confluence));
    }

    [Fact]
    public async Task WriteAsync_RecordDeletedMeanwhile_ASiblingStillHoldingTheSpentTokenTakesTheRotation()
    {
        // The spent refresh token is dead at the provider once rotated: a sibling left holding
        // it could never refresh again, whatever happened to the record the refresh ran for.
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-old");
        var confluence = await parts.AddOAuthAsync(IntegrationProviders.Confluence, "rt-old");
        Assert.True(await parts.Store.DeleteAsync(jira.Id));
        var tokens = RefreshParts.Tokens("at-new", "rt-new", parts.Now.AddHours(1));

        var outcome = await parts.Get<RotationWriter>().WriteAsync(parts.Connection(jira), jira, jira, [confluence], "rt-old", tokens, CancellationToken.None);

        Assert.False(outcome.Written);
        Assert.Null(outcome.Token);
        Assert.Equal(1, outcome.SiblingsUpdated);
        Assert.Equal("rt-new", (await parts.Store.GetAsync(confluence.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal("at-new", await parts.CachedAccessTokenAsync(confluence));
        Assert.Null(await parts.CachedAccessTokenAsync(jira));
        Assert.Null(await parts.JournalAsync(jira));
    }

    [Fact]
    public async Task AdoptJournalAsync_JournalFollowsTheStoredToken_TheJournaledTokensAreStoredAndTheJournalGoes()
    {
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-spent");
        var journalKey = RotationJournal.Key(jira, OAuthTokenSlot.Primary);
        var journal = RotationJournal.Serialize("rt-spent", RefreshParts.Tokens("at-journaled", "rt-journaled", parts.Now.AddHours(1)), "rt-journaled");
        await parts.Cache.SetAsync(journalKey, journal, TimeSpan.FromHours(1));

        var adopted = await parts.Get<RotationWriter>().AdoptJournalAsync(parts.Connection(jira), jira, [], jira, CancellationToken.None);

        Assert.Equal("rt-journaled", adopted.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal("at-journaled", (await parts.Store.GetAsync(jira.Id))!.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.Null(await parts.Cache.GetAsync(journalKey));
    }

    [Fact]
    public async Task AdoptJournalAsync_JournalOfAnotherToken_RecordUntouched()
    {
        await using var parts = new RefreshParts();
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-current");
        var journalKey = RotationJournal.Key(jira, OAuthTokenSlot.Primary);
        await parts.Cache.SetAsync(journalKey, RotationJournal.Serialize("rt-long-gone", RefreshParts.Tokens("at-x", "rt-x", parts.Now.AddHours(1)), "rt-x"), TimeSpan.FromHours(1));

        var result = await parts.Get<RotationWriter>().AdoptJournalAsync(parts.Connection(jira), jira, [], jira, CancellationToken.None);

        Assert.Same(jira, result);
        Assert.Equal("rt-current", (await parts.Store.GetAsync(jira.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }
}
