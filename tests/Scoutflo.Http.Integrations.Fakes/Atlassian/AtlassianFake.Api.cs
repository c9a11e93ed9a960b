using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scoutflo.Http.Integrations.Fakes.Atlassian.Internal;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Atlassian;

public sealed partial class AtlassianFake
{
    private const int DefaultMaxResults = 50;
    private const int MaxMaxResults = 5000;

    private ResponseMessage Api(IRequestMessage request)
    {
        // /ex/{product}/{cloudId}/{rest}
        var segments = request.Path.Split('/', 5);
        if (segments.Length < 5 || (segments[2] != "jira" && segments[2] != "confluence"))
        {
            return NotFound();
        }

        var product = segments[2];
        var cloudId = Uri.UnescapeDataString(segments[3]);
        var rest = segments[4];
        var method = request.Method.ToUpperInvariant();

        if (ValidAccessToken(request) is not { } token)
        {
            return Unauthorized();
        }

        AtlassianFakeSite? site;
        lock (_gate)
        {
            site = _sites.FirstOrDefault(s => string.Equals(s.Id, cloudId, StringComparison.Ordinal));
        }

        // The gateway does not say "no such site": a cloud id the token cannot reach is just unauthorized.
        if (site is null)
        {
            return Unauthorized();
        }

        (AtlassianFakeRoute Route, Func<ResponseMessage> Handler)? match = (product, method, rest) switch
        {
            ("jira", "GET", "rest/api/3/myself") => (AtlassianFakeRoute.JiraMyself, () => Myself(site, token)),
            ("jira", "POST", "rest/api/3/issue") => (AtlassianFakeRoute.JiraIssueCreate, () => CreateIssue(site, request)),
            ("jira", "GET", _) when rest.StartsWith("rest/api/3/issue/", StringComparison.Ordinal) && rest.Count(c => c == '/') == 4
                => (AtlassianFakeRoute.JiraIssueRead, () => GetIssue(site, Uri.UnescapeDataString(rest["rest/api/3/issue/".Length..]), request)),
            ("jira", "POST" or "GET", "rest/api/3/search/jql") => (AtlassianFakeRoute.JiraSearch, () => Search(site, request)),
            ("jira", "GET", "rest/servicedeskapi/servicedesk") => (AtlassianFakeRoute.ServiceDeskRead, () => ServiceDesks(site)),
            ("confluence", "GET", "wiki/api/v2/spaces") => (AtlassianFakeRoute.ConfluenceSpaceRead, () => Spaces(site)),
            ("confluence", "GET", _) when rest.StartsWith("wiki/api/v2/pages/", StringComparison.Ordinal)
                => (AtlassianFakeRoute.ConfluencePageRead, () => Page(site, rest["wiki/api/v2/pages/".Length..])),
            _ => null,
        };

        if (match is not { } route)
        {
            return NotFound();
        }

        if (_options.RequiredScopes.TryGetValue(route.Route, out var required)
            && required.Count > 0
            && !required.Any(token.Scopes.Contains))
        {
            return Unauthorized("Unauthorized; scope does not match");
        }

        return route.Handler();
    }

    private static ResponseMessage NotFound() =>
        FakeHttp.Json(404, new JsonObject { ["code"] = 404, ["message"] = "Not Found" });

    private static ResponseMessage JiraError(int status, string message) =>
        FakeHttp.Json(status, new JsonObject { ["errorMessages"] = new JsonArray(message), ["errors"] = new JsonObject() });

    private static string SiteRoot(AtlassianFakeSite site) => site.Url.GetLeftPart(UriPartial.Authority);

    private ResponseMessage Myself(AtlassianFakeSite site, AtlassianAccessToken token)
    {
        var user = FindUser(token.Grant.AccountId)!;
        return FakeHttp.Json(200, new JsonObject
        {
            ["self"] = $"{SiteRoot(site)}/rest/api/3/user?accountId={Uri.EscapeDataString(user.AccountId)}",
            ["accountId"] = user.AccountId,
            ["accountType"] = "atlassian",
            ["emailAddress"] = user.EmailAddress,
            ["displayName"] = user.DisplayName,
            ["active"] = true,
            ["timeZone"] = "Etc/UTC",
            ["locale"] = "en_US",
        });
    }

    private void SeedSite(string cloudId)
    {
        if (_content.ContainsKey(cloudId))
        {
            return;
        }

        var content = new AtlassianSiteContent();
        _content[cloudId] = content;
        for (var i = 1; i <= _options.SeedIssueCount; i++)
        {
            CreateIssue(content, "SCOUT", new JsonObject { ["summary"] = $"Seeded issue {i}" });
        }
    }

    /// <summary>Caller holds the lock.</summary>
    private JiraIssue CreateIssue(AtlassianSiteContent content, string projectKey, JsonObject fields)
    {
        var number = content.NextNumberByProject.GetValueOrDefault(projectKey, 1);
        content.NextNumberByProject[projectKey] = number + 1;
        var now = FakeHttp.Iso8601(_time.GetUtcNow());
        fields["project"] ??= new JsonObject { ["key"] = projectKey };
        fields["issuetype"] ??= new JsonObject { ["name"] = "Task" };
        fields["status"] ??= new JsonObject { ["name"] = "To Do" };
        fields["created"] ??= now;
        fields["updated"] ??= now;
        var issue = new JiraIssue(content.NextIssueId++, $"{projectKey}-{number}", fields);
        content.Issues.Add(issue);
        return issue;
    }

    private static JsonObject IssueJson(AtlassianFakeSite site, JiraIssue issue, Func<string, bool>? includeField)
    {
        var id = issue.Id.ToString(CultureInfo.InvariantCulture);
        var json = new JsonObject
        {
            ["id"] = id,
            ["key"] = issue.Key,
            // As real Jira does through the gateway: self links name the site host, not api.atlassian.com.
            ["self"] = $"{SiteRoot(site)}/rest/api/3/issue/{id}",
        };

        var fields = new JsonObject();
        foreach (var (name, value) in issue.Fields)
        {
            if (includeField is null || includeField(name))
            {
                fields[name] = value?.DeepClone();
            }
        }

        json["fields"] = fields;
        return json;
    }

    private ResponseMessage GetIssue(AtlassianFakeSite site, string keyOrId, IRequestMessage request)
    {
        var fieldsParam = FakeHttp.QueryParameters(request).GetValueOrDefault("fields");
        lock (_gate)
        {
            var issue = _content[site.Id].Issues.FirstOrDefault(i =>
                string.Equals(i.Key, keyOrId, StringComparison.OrdinalIgnoreCase)
                || i.Id.ToString(CultureInfo.InvariantCulture) == keyOrId);
            return issue is null
                ? JiraError(404, "Issue does not exist or you do not have permission to see it.")
                : FakeHttp.Json(200, IssueJson(site, issue, FieldFilter(SplitFields(fieldsParam), defaultAll: true)));
        }
    }

    private ResponseMessage CreateIssue(AtlassianFakeSite site, IRequestMessage request)
    {
        if (FakeHttp.JsonBody(request) is not { } body || body["fields"] is not JsonObject fields)
        {
            return JiraError(400, "The request body must be a JSON object with \"fields\".");
        }

        var projectKey = fields["project"] is JsonObject project ? FakeHttp.JsonString(project, "key") : null;
        var errors = new JsonObject();
        if (string.IsNullOrEmpty(projectKey))
        {
            errors["project"] = "Specify a valid project ID or key";
        }

        if (string.IsNullOrEmpty(FakeHttp.JsonString(fields, "summary")))
        {
            errors["summary"] = "You must specify a summary of the issue.";
        }

        if (errors.Count > 0)
        {
            return FakeHttp.Json(400, new JsonObject { ["errorMessages"] = new JsonArray(), ["errors"] = errors });
        }

        lock (_gate)
        {
            // The posted fields are stored verbatim, so GET issue returns exactly what arrived.
            var issue = CreateIssue(_content[site.Id], projectKey!, (JsonObject)fields.DeepClone());
            var id = issue.Id.ToString(CultureInfo.InvariantCulture);
            return FakeHttp.Json(201, new JsonObject
            {
                ["id"] = id,
                ["key"] = issue.Key,
                ["self"] = $"{SiteRoot(site)}/rest/api/3/issue/{id}",
            });
        }
    }

    private ResponseMessage Search(AtlassianFakeSite site, IRequestMessage request)
    {
        string? jql;
        IReadOnlyList<string>? fields;
        int? maxResults;
        string? pageToken;
        if (string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            if (FakeHttp.JsonBody(request) is not { } body)
            {
                return JiraError(400, "The request body must be a JSON object.");
            }

            jql = FakeHttp.JsonString(body, "jql");
            fields = body["fields"] is JsonArray array ? [.. array.Select(n => n?.GetValue<string>() ?? string.Empty)] : null;
            maxResults = FakeHttp.JsonInt(body, "maxResults");
            pageToken = FakeHttp.JsonString(body, "nextPageToken");
        }
        else
        {
            var query = FakeHttp.QueryParameters(request);
            jql = query.GetValueOrDefault("jql");
            fields = SplitFields(query.GetValueOrDefault("fields"));
            maxResults = int.TryParse(query.GetValueOrDefault("maxResults"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : null;
            pageToken = query.GetValueOrDefault("nextPageToken");
        }

        if (string.IsNullOrWhiteSpace(jql))
        {
            return JiraError(400, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
        }

        var offset = 0;
        if (!string.IsNullOrEmpty(pageToken) && !TryDecodePageToken(pageToken, out offset))
        {
            return JiraError(400, "The provided next page token is invalid or expired.");
        }

        var pageSize = Math.Clamp(maxResults ?? DefaultMaxResults, 1, MaxMaxResults);
        lock (_gate)
        {
            var matching = Filter(_content[site.Id].Issues, jql).ToList();
            var page = matching.Skip(offset).Take(pageSize).ToList();
            var isLast = offset + page.Count >= matching.Count;
            // The enhanced search returns only the id unless fields are asked for.
            var include = FieldFilter(fields, defaultAll: false);
            var issues = new JsonArray();
            foreach (var issue in page)
            {
                issues.Add(include is null && fields is null
                    ? new JsonObject { ["id"] = issue.Id.ToString(CultureInfo.InvariantCulture) }
                    : IssueJson(site, issue, include));
            }

            var response = new JsonObject { ["issues"] = issues, ["isLast"] = isLast };
            if (!isLast)
            {
                response["nextPageToken"] = EncodePageToken(offset + page.Count);
            }

            return FakeHttp.Json(200, response);
        }
    }

    private static IReadOnlyList<string>? SplitFields(string? fields) =>
        string.IsNullOrWhiteSpace(fields) ? null : fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Null = every field; <c>*all</c>/<c>*navigable</c> = every field; otherwise the listed ones.</summary>
    private static Func<string, bool>? FieldFilter(IReadOnlyList<string>? fields, bool defaultAll)
    {
        if (fields is null)
        {
            return defaultAll ? null : _ => false;
        }

        if (fields.Contains("*all") || fields.Contains("*navigable"))
        {
            return null;
        }

        var set = new HashSet<string>(fields, StringComparer.Ordinal);
        return set.Contains;
    }

    private static IEnumerable<JiraIssue> Filter(IEnumerable<JiraIssue> issues, string jql)
    {
        var project = ProjectClause().Match(jql);
        if (project.Success)
        {
            issues = issues.Where(i => string.Equals(i.ProjectKey, project.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
        }

        var key = KeyClause().Match(jql);
        if (key.Success)
        {
            issues = issues.Where(i => string.Equals(i.Key, key.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
        }

        return issues.OrderBy(i => i.Id);
    }

    [GeneratedRegex("""\bproject\s*=\s*"?([A-Za-z][A-Za-z0-9_]*)"?""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProjectClause();

    [GeneratedRegex("""\bkey\s*=\s*"?([A-Za-z][A-Za-z0-9_]*-\d+)"?""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyClause();

    private static string EncodePageToken(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"fake-page:{offset.ToString(CultureInfo.InvariantCulture)}"));

    private static bool TryDecodePageToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("fake-page:", StringComparison.Ordinal)
                && int.TryParse(text["fake-page:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static ResponseMessage ServiceDesks(AtlassianFakeSite site) => FakeHttp.Json(200, new JsonObject
    {
        ["size"] = 1,
        ["start"] = 0,
        ["limit"] = 50,
        ["isLastPage"] = true,
        ["values"] = new JsonArray(new JsonObject
        {
            ["id"] = "1",
            ["projectId"] = "10000",
            ["projectName"] = "Scout Support",
            ["projectKey"] = "SUP",
            ["_links"] = new JsonObject { ["self"] = $"{SiteRoot(site)}/rest/servicedeskapi/servicedesk/1" },
        }),
        ["_links"] = new JsonObject
        {
            ["base"] = SiteRoot(site),
            ["context"] = string.Empty,
            ["self"] = $"{SiteRoot(site)}/rest/servicedeskapi/servicedesk",
        },
    });

    private static ResponseMessage Spaces(AtlassianFakeSite site) => FakeHttp.Json(200, new JsonObject
    {
        ["results"] = new JsonArray(new JsonObject
        {
            ["id"] = "65537",
            ["key"] = "ENG",
            ["name"] = "Engineering",
            ["type"] = "global",
            ["status"] = "current",
            ["homepageId"] = "98305",
        }),
        ["_links"] = new JsonObject { ["base"] = $"{SiteRoot(site)}/wiki" },
    });

    private static ResponseMessage Page(AtlassianFakeSite site, string id) => id == "98305"
        ? FakeHttp.Json(200, new JsonObject
        {
            ["id"] = "98305",
            ["status"] = "current",
            ["title"] = "Runbook",
            ["spaceId"] = "65537",
            ["version"] = new JsonObject { ["number"] = 1 },
            ["_links"] = new JsonObject { ["webui"] = "/spaces/ENG/pages/98305/Runbook", ["base"] = $"{SiteRoot(site)}/wiki" },
        })
        : FakeHttp.Json(404, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject
            {
                ["status"] = 404,
                ["code"] = "NOT_FOUND",
                ["title"] = "Not Found",
                ["detail"] = null,
            }),
        });
}
