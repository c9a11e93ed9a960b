using System.Text.Json.Serialization;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>What a signed OAuth state carries from the install URL to the callback.</summary>
internal sealed record OAuthStatePayload(
    [property: JsonPropertyName("p")] string Provider,
    [property: JsonPropertyName("a")] string AccountId,
    [property: JsonPropertyName("u")] string? UserId,
    [property: JsonPropertyName("s")] IReadOnlyList<string> Scopes,
    [property: JsonPropertyName("n")] string Nonce,
    [property: JsonPropertyName("e")] long ExpiresAtUnixSeconds,
    [property: JsonPropertyName("r")] string RedirectUri,
    [property: JsonPropertyName("ru")] string? ReturnUrl,
    [property: JsonPropertyName("sib")] IReadOnlyList<string>? SiblingIds,
    [property: JsonPropertyName("b")] string? BaseUrl = null);
