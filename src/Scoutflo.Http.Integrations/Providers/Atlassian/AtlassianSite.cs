namespace Scoutflo.Http.Integrations;

/// <summary>An Atlassian site the user granted access to (from accessible-resources).</summary>
/// <param name="CloudId">The site's cloud id (<c>id</c> in accessible-resources).</param>
/// <param name="Name">The site name.</param>
/// <param name="Url">The site URL, e.g. <c>https://acme.atlassian.net</c>.</param>
/// <param name="Scopes">The scopes granted on that site.</param>
/// <param name="AvatarUrl">The site's avatar, if any.</param>
public sealed record AtlassianSite(string CloudId, string Name, Uri Url, IReadOnlyList<string> Scopes, Uri? AvatarUrl);
