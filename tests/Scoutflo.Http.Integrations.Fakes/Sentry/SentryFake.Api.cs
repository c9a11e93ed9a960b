using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Sentry;

public sealed partial class SentryFake
{
    /// <summary>What a caller may see: every organization (static token) or one (installation token).</summary>
    private sealed record CallerScope(string? OrganizationSlug)
    {
        public bool Sees(string slug) => OrganizationSlug is null || OrganizationSlug == slug;
    }

    private ResponseMessage Authorized(string? bearer, string requiredScope, string? organizationSlug, Func<CallerScope, ResponseMessage> handler)
    {
        if (bearer is null)
        {
            return Detail(401, "Authentication credentials were not provided.");
        }

        CallerScope caller;
        if (_options.StaticTokens.Contains(bearer))
        {
            caller = new CallerScope(null);
        }
        else
        {
            lock (_gate)
            {
                if (!_byAccess.TryGetValue(bearer, out var token) || token.Deleted)
                {
                    return Detail(401, "Invalid token");
                }

                if (_time.GetUtcNow() >= token.ExpiresAt)
                {
                    return Detail(401, "Token expired");
                }

                if (!_options.Scopes.Contains(requiredScope))
                {
                    return Detail(403, "You do not have permission to perform this action.");
                }

                caller = new CallerScope(token.Installation.OrganizationSlug);
            }
        }

        if (organizationSlug is not null)
        {
            if (!_options.Organizations.Any(o => o.Slug == organizationSlug))
            {
                return NotFound();
            }

            if (!caller.Sees(organizationSlug))
            {
                return Detail(403, "You do not have permission to perform this action.");
            }
        }

        return handler(caller);
    }

    private ResponseMessage Organizations(CallerScope caller)
    {
        var result = new JsonArray();
        foreach (var organization in _options.Organizations.Where(o => caller.Sees(o.Slug)))
        {
            result.Add(new JsonObject
            {
                ["id"] = organization.Id,
                ["slug"] = organization.Slug,
                ["name"] = organization.Name,
                ["dateCreated"] = "2024-01-01T00:00:00.000000Z",
                ["isEarlyAdopter"] = false,
                ["require2FA"] = false,
                ["status"] = new JsonObject { ["id"] = "active", ["name"] = "active" },
            });
        }

        return FakeHttp.Json(200, result);
    }

    private ResponseMessage Projects(string organizationSlug)
    {
        var organization = _options.Organizations.First(o => o.Slug == organizationSlug);
        var result = new JsonArray();
        foreach (var project in organization.Projects)
        {
            result.Add(new JsonObject
            {
                ["id"] = project.Id,
                ["slug"] = project.Slug,
                ["name"] = project.Name,
                ["platform"] = project.Platform,
                ["dateCreated"] = "2024-01-01T00:00:00.000000Z",
                ["isMember"] = true,
                ["status"] = "active",
                ["organization"] = new JsonObject { ["id"] = organization.Id, ["slug"] = organization.Slug, ["name"] = organization.Name },
            });
        }

        return FakeHttp.Json(200, result);
    }
}
