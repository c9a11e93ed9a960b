namespace Scoutflo.Http.Integrations;

/// <summary>The query parameters a provider sends to the redirect URI.</summary>
public sealed class OAuthCallback
{
    /// <summary>The authorization code (absent when the user refused).</summary>
    public string? Code { get; init; }

    /// <summary>The state the install URL carried.</summary>
    public string? State { get; init; }

    /// <summary>The provider's error code, e.g. <c>access_denied</c>.</summary>
    public string? Error { get; init; }

    /// <summary>The provider's error description.</summary>
    public string? ErrorDescription { get; init; }

    /// <summary>Sentry apps: the installation id sent with the code.</summary>
    public string? InstallationId { get; init; }

    /// <summary>Sentry apps: the slug of the organization the app was installed into (<c>orgSlug</c>).</summary>
    public string? OrganizationSlug { get; init; }

    /// <summary>Reads a callback from a query string (with or without the leading <c>?</c>).</summary>
    /// <param name="query">The query string, e.g. <c>Request.QueryString.Value</c>.</param>
    public static OAuthCallback FromQueryString(string? query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (query ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(parts[0].Replace('+', ' '));
            values.TryAdd(name, parts.Length == 2 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : string.Empty);
        }

        return new OAuthCallback
        {
            Code = values.GetValueOrDefault("code"),
            State = values.GetValueOrDefault("state"),
            Error = values.GetValueOrDefault("error"),
            ErrorDescription = values.GetValueOrDefault("error_description"),
            InstallationId = values.GetValueOrDefault("installationId"),
            OrganizationSlug = values.GetValueOrDefault("orgSlug"),
        };
    }

    /// <summary>Prints which parameters are present, never their values (the code and state are secrets).</summary>
    public override string ToString() =>
        $"OAuthCallback {{ Code = {(Code is null ? "absent" : "present")}, State = {(State is null ? "absent" : "present")}, Error = {Error} }}";
}
