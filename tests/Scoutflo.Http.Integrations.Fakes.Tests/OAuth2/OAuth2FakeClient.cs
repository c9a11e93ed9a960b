using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Scoutflo.Http.Integrations.Fakes.OAuth2;

namespace Scoutflo.Http.Integrations.Fakes.Tests.OAuth2;

/// <summary>A bare OAuth 2.0 client for the fakes' tests: builds authorize URLs, posts token requests.</summary>
internal sealed class OAuth2FakeClient(OAuth2ProviderFake fake) : IDisposable
{
    public const string Redirect = "https://app.example.com/cb";
    private readonly HttpClient _http = new();

    public static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Consents and returns the code the redirect carries (or throws with the redirect's error).</summary>
    public async Task<string> CodeAsync(string query, string user = "user-1")
    {
        var url = new Uri($"{fake.AuthorizeUrl}?response_type=code&client_id={Uri.EscapeDataString(fake.ClientId)}&redirect_uri={Uri.EscapeDataString(Redirect)}&state=s1&{query}");
        var redirect = HttpUtility.ParseQueryString((await fake.ConsentAsync(url, user)).Query);
        Assert.Equal("s1", redirect["state"]);
        return redirect["code"] ?? throw new InvalidOperationException("authorize error: " + redirect["error"]);
    }

    public async Task<(HttpStatusCode Status, string ContentType, string Body)> PostAsync(IEnumerable<KeyValuePair<string, string>> fields, bool json = true, bool basic = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, fake.TokenUrl) { Content = new FormUrlEncodedContent(fields) };
        if (json)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        if (basic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{fake.ClientId}:{fake.ClientSecret}")));
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? string.Empty, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, JsonObject Body)> TokenAsync(params (string Name, string Value)[] fields)
    {
        var all = fields.Select(f => KeyValuePair.Create(f.Name, f.Value))
            .Append(KeyValuePair.Create("client_id", fake.ClientId))
            .Append(KeyValuePair.Create("client_secret", fake.ClientSecret));
        var (status, _, body) = await PostAsync(all);
        return (status, (JsonObject)JsonNode.Parse(body)!);
    }

    public Task<(HttpStatusCode Status, JsonObject Body)> ExchangeAsync(string code, string? verifier = null) =>
        verifier is null
            ? TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect))
            : TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect), ("code_verifier", verifier));

    public Task<(HttpStatusCode Status, JsonObject Body)> RefreshAsync(string refreshToken) =>
        TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    public async Task<HttpStatusCode> MeAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fake.ApiBaseUrl, "me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();
}
