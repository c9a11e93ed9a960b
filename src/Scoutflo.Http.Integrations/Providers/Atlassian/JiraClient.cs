using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Scoutflo.Http.Integrations.Http.Internal;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// A thin typed client for Jira Cloud's REST API v3. Paths are relative to the integration's
/// API base; anything not wrapped here is one <see cref="HttpClient"/> call away.
/// </summary>
/// <param name="httpClient">The client from <c>AddJiraClient</c> or <see cref="IIntegrationClientFactory"/>.</param>
public sealed class JiraClient(HttpClient httpClient)
{
    /// <summary>The underlying client, for any other Jira call (e.g. <c>GetAsync("rest/api/3/project")</c>).</summary>
    public HttpClient HttpClient { get; } = httpClient ?? throw new ArgumentNullException(nameof(httpClient));

    /// <summary>The user the integration acts as (<c>GET /rest/api/3/myself</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="IntegrationApiException">Jira answered with an error status; it carries Jira's error messages.</exception>
    public async Task<JiraUser> GetMyselfAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<JiraUser>("rest/api/3/myself", cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("Jira returned an empty body for /myself.");

    /// <summary>One issue (<c>GET /rest/api/3/issue/{issueIdOrKey}</c>).</summary>
    /// <param name="issueIdOrKey">The issue id or key, e.g. <c>PROJ-1</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="IntegrationApiException">Jira answered with an error status (404 for an unknown issue); it carries Jira's error messages.</exception>
    public async Task<JiraIssue> GetIssueAsync(string issueIdOrKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(issueIdOrKey);
        return await GetAsync<JiraIssue>($"rest/api/3/issue/{Uri.EscapeDataString(issueIdOrKey)}", cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("Jira returned an empty body for the issue.");
    }

    /// <summary>
    /// One page of a JQL search through the current endpoint (<c>POST /rest/api/3/search/jql</c>;
    /// the older <c>/search</c> is retired). Pass <see cref="JiraSearchResult.NextPageToken"/> back for the next page.
    /// </summary>
    /// <param name="jql">The query, e.g. <c>project = PROJ ORDER BY created DESC</c> (Jira requires a bounded query).</param>
    /// <param name="fields">Fields to return; <see langword="null"/> for Jira's default (the id only).</param>
    /// <param name="maxResults">Page size; <see langword="null"/> for Jira's default.</param>
    /// <param name="nextPageToken">The token of the page to read; <see langword="null"/> for the first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="IntegrationApiException">Jira answered with an error status (400 for invalid JQL); it carries Jira's error messages.</exception>
    public async Task<JiraSearchResult> SearchAsync(string jql, IEnumerable<string>? fields = null, int? maxResults = null, string? nextPageToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jql);
        if (maxResults is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxResults), maxResults, "The page size must be positive.");
        }

        var body = new JiraSearchRequest(jql, fields?.ToArray(), maxResults, nextPageToken);
        using var response = await HttpClient.PostAsJsonAsync("rest/api/3/search/jql", body, JiraJson.Options, cancellationToken).ConfigureAwait(false);
        await ProviderErrorResponse.EnsureSuccessAsync(response, IntegrationProviders.Jira, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<JiraSearchResult>(JiraJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("Jira returned an empty body for the search.");
    }

    private Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        ProviderErrorResponse.GetJsonAsync<T>(HttpClient, path, IntegrationProviders.Jira, JiraJson.Options, cancellationToken);

    private sealed record JiraSearchRequest(
        string Jql,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Fields,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxResults,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextPageToken);
}

/// <summary>A Jira user.</summary>
/// <param name="AccountId">The Atlassian account id.</param>
/// <param name="DisplayName">The display name.</param>
/// <param name="EmailAddress">The email, when the user's privacy settings show it.</param>
/// <param name="Active">Whether the account is active.</param>
public sealed record JiraUser(string AccountId, string? DisplayName, string? EmailAddress, bool Active);

/// <summary>A Jira issue.</summary>
/// <param name="Id">The numeric id.</param>
/// <param name="Key">The key, e.g. <c>PROJ-1</c> (absent when the search asked for no fields but the id).</param>
/// <param name="Self">The issue's URL on the site host; the handler moves it onto the API base when it is called.</param>
/// <param name="Fields">The requested fields, as Jira sent them.</param>
public sealed record JiraIssue(string Id, string? Key, Uri? Self, JsonElement Fields);

/// <summary>One page of a JQL search.</summary>
/// <param name="Issues">The issues of this page.</param>
/// <param name="NextPageToken">The next page's token; <see langword="null"/> on the last page.</param>
/// <param name="IsLast">Whether this is the last page.</param>
public sealed record JiraSearchResult(IReadOnlyList<JiraIssue> Issues, string? NextPageToken, bool IsLast);

internal static class JiraJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
