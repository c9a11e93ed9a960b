namespace Scoutflo.Http.Integrations;

/// <summary>
/// A provider that speaks plain OAuth 2.0 (RFC 6749 authorization code grant, RFC 7636 PKCE),
/// declared by configuration instead of code: <c>AddOAuth2Provider(name, ...)</c>. The name is
/// the provider name of its integrations (<see cref="Integration.Provider"/>). Validated at
/// start-up; errors name the configuration key (<c>OAuth2:{name}:TokenUrl</c>, or the bound
/// section's path).
/// </summary>
public sealed class OAuth2ProviderOptions
{
    /// <summary>The OAuth app's client id. Required.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The OAuth app's client secret. Required. Never logged, sent only to <see cref="TokenUrl"/>.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>The callback URL registered with the app. Needed for installs only; a service that only calls APIs may leave it unset.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>The provider's authorization endpoint (where the user consents). Required.</summary>
    public Uri? AuthorizeUrl { get; set; }

    /// <summary>The provider's token endpoint (code exchange and refresh). Required; the client secret goes nowhere else.</summary>
    public Uri? TokenUrl { get; set; }

    /// <summary>
    /// The API base of the provider's integrations (e.g. <c>https://api.github.com</c>). Required.
    /// A connection's access token is sent to this origin only, unless its <c>base_url</c> metadata
    /// names one of <see cref="AdditionalApiBaseUrls"/>.
    /// </summary>
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>
    /// Other API bases a connection's <c>base_url</c> metadata may name (a regional or enterprise
    /// host). Matched on scheme, host and port. Default empty: every connection calls <see cref="ApiBaseUrl"/>.
    /// </summary>
    public IList<Uri> AdditionalApiBaseUrls { get; set; } = [];

    /// <summary>The scopes every install asks for (an install request may add more). Default none (GitHub Apps use none).</summary>
    public IList<string> DefaultScopes { get; set; } = [];

    /// <summary>How scopes are joined in the authorize URL and split in token responses. Default a space (RFC 6749); some providers use a comma.</summary>
    public string ScopeSeparator { get; set; } = " ";

    /// <summary>How the client authenticates at the token endpoint. Default <see cref="OAuth2ClientAuthentication.RequestBody"/>.</summary>
    public OAuth2ClientAuthentication ClientAuthentication { get; set; } = OAuth2ClientAuthentication.RequestBody;

    /// <summary>
    /// Parameters added to the authorize URL, e.g. Google's <c>access_type=offline</c> and
    /// <c>prompt=consent</c> (without which Google issues no refresh token). They cannot replace
    /// the parameters the library sets (<c>client_id</c>, <c>state</c>, <c>redirect_uri</c>, ...). Default none.
    /// </summary>
    public IDictionary<string, string> ExtraAuthorizeParameters { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Sends a PKCE S256 challenge with the authorize URL and the verifier with the code. The
    /// verifier never leaves the service except to <see cref="TokenUrl"/>: it is derived from the
    /// signed state with a key only the service holds. Default <see langword="true"/>; turn it off
    /// only for a provider that refuses PKCE.
    /// </summary>
    public bool UsePkce { get; set; } = true;

    /// <summary>
    /// Whether every refresh answer carries a new refresh token that replaces the old one (GitHub
    /// App user tokens). When <see langword="true"/>, an answer without one is refused
    /// (<c>oauth_token_response_invalid</c>): the spent token would fail at the next refresh.
    /// When <see langword="false"/> (Google), the stored refresh token is kept unless an answer
    /// carries a new one. Either way a new one is written with a compare-and-set under the refresh
    /// lock. Default <see langword="false"/>.
    /// </summary>
    public bool RefreshTokensRotate { get; set; }

    /// <summary>How the token endpoint's answer is read.</summary>
    public OAuth2TokenResponseOptions TokenResponse { get; set; } = new();
}

/// <summary>How a client authenticates at a token endpoint (RFC 6749 section 2.3.1).</summary>
public enum OAuth2ClientAuthentication
{
    /// <summary><c>client_id</c> and <c>client_secret</c> as fields of the request body.</summary>
    RequestBody,

    /// <summary>An HTTP Basic <c>Authorization</c> header of the form-encoded id and secret.</summary>
    BasicHeader,
}

/// <summary>The field names of a token response (JSON) and the rules it is held to.</summary>
public sealed class OAuth2TokenResponseOptions
{
    /// <summary>The access token's field. Default <c>access_token</c>.</summary>
    public string AccessTokenField { get; set; } = "access_token";

    /// <summary>The refresh token's field. Default <c>refresh_token</c>.</summary>
    public string RefreshTokenField { get; set; } = "refresh_token";

    /// <summary>The lifetime's field, in seconds (a number; below one second, or not a number, is refused). Default <c>expires_in</c>.</summary>
    public string ExpiresInField { get; set; } = "expires_in";

    /// <summary>The granted scopes' field: a string split by <see cref="OAuth2ProviderOptions.ScopeSeparator"/>, or an array. Default <c>scope</c>.</summary>
    public string ScopeField { get; set; } = "scope";

    /// <summary>The token type's field. Default <c>token_type</c>.</summary>
    public string TokenTypeField { get; set; } = "token_type";

    /// <summary>
    /// The token types sent as <c>Bearer</c> (case-insensitive); a response with another type is
    /// refused, an absent type is taken as bearer. Configuration adds to the default <c>bearer</c>.
    /// </summary>
    public IList<string> AcceptedTokenTypes { get; set; } = ["bearer"];

    /// <summary>
    /// The token endpoint's <c>error</c> codes that mean the grant is gone for good (the
    /// integration is marked <c>reauthorization_required</c>), e.g. GitHub's
    /// <c>bad_refresh_verification_code</c>. Configuration adds to the default <c>invalid_grant</c>.
    /// </summary>
    public IList<string> DeadGrantErrors { get; set; } = ["invalid_grant"];
}
