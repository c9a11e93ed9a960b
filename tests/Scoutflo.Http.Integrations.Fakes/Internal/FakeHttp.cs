using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace Scoutflo.Http.Integrations.Fakes.Internal;

/// <summary>Request parsing and response building shared by the fakes.</summary>
internal static class FakeHttp
{
    public static ResponseMessage Json(int statusCode, JsonNode? body, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        Text(statusCode, body?.ToJsonString() ?? "null", "application/json; charset=utf-8", headers);

    public static ResponseMessage Text(int statusCode, string body, string contentType, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var response = new ResponseMessage
        {
            StatusCode = statusCode,
            BodyData = new BodyData
            {
                BodyAsString = body,
                Encoding = Encoding.UTF8,
                DetectedBodyType = BodyType.String,
            },
        };
        response.AddHeader("Content-Type", contentType);
        AddHeaders(response, headers);
        return response;
    }

    public static ResponseMessage Bytes(int statusCode, byte[] body, string contentType, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var response = new ResponseMessage
        {
            StatusCode = statusCode,
            BodyData = new BodyData { BodyAsBytes = body, DetectedBodyType = BodyType.Bytes },
        };
        response.AddHeader("Content-Type", contentType);
        AddHeaders(response, headers);
        return response;
    }

    public static ResponseMessage Redirect(Uri location)
    {
        var response = new ResponseMessage { StatusCode = (int)HttpStatusCode.Found };
        response.AddHeader("Location", location.AbsoluteUri);
        return response;
    }

    /// <summary>A redirect of the given status (301, 302, 303, 307, 308) to <paramref name="location"/>, with a small body as servers send.</summary>
    public static ResponseMessage RedirectTo(int statusCode, Uri location)
    {
        var response = Text(statusCode, $"<html><body>Moved to <a href=\"{location.AbsoluteUri}\">here</a>.</body></html>", "text/html; charset=utf-8");
        response.AddHeader("Location", location.AbsoluteUri);
        return response;
    }

    public static ResponseMessage Empty(int statusCode, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var response = new ResponseMessage { StatusCode = statusCode };
        AddHeaders(response, headers);
        return response;
    }

    private static void AddHeaders(ResponseMessage response, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        if (headers is null)
        {
            return;
        }

        foreach (var (name, value) in headers)
        {
            response.AddHeader(name, value);
        }
    }

    public static string? Header(IRequestMessage request, string name)
    {
        if (request.Headers is null)
        {
            return null;
        }

        foreach (var (key, values) in request.Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && values is { Count: > 0 })
            {
                return string.Join(", ", values);
            }
        }

        return null;
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(IRequestMessage request)
    {
        var authorization = Header(request, "Authorization");
        const string Prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[Prefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>User name and password of an <c>Authorization: Basic</c> header, or null.</summary>
    public static (string User, string Password)? BasicCredentials(IRequestMessage request)
    {
        var authorization = Header(request, "Authorization");
        const string Prefix = "Basic ";
        if (authorization is null || !authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[Prefix.Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static bool HasContentType(IRequestMessage request, string mediaType)
    {
        var contentType = Header(request, "Content-Type");
        return contentType is not null
            && contentType.Split(';')[0].Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The raw request body as text (UTF-8), or an empty string.</summary>
    public static string BodyText(IRequestMessage request)
    {
        if (request.BodyData?.BodyAsString is { } text)
        {
            return text;
        }

        if (request.BodyData?.BodyAsBytes is { } bytes)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return request.Body ?? string.Empty;
    }

    /// <summary>The body parsed as a JSON object, or null when it is not one.</summary>
    public static JsonObject? JsonBody(IRequestMessage request)
    {
        var text = BodyText(request);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? JsonString(JsonObject body, string name) =>
        body.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : null;

    public static int? JsonInt(JsonObject body, string name) =>
        body.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<int>(out var number)
            ? number
            : null;

    /// <summary>Query parameters parsed from the raw query, without splitting values on commas.</summary>
    public static Dictionary<string, string> QueryParameters(IRequestMessage request)
    {
        var raw = request.RawQuery;
        if (string.IsNullOrEmpty(raw))
        {
            var url = request.Url;
            var question = url?.IndexOf('?', StringComparison.Ordinal) ?? -1;
            raw = question >= 0 ? url![(question + 1)..] : string.Empty;
        }

        return ParseUrlEncoded(raw);
    }

    /// <summary>The body parsed as <c>application/x-www-form-urlencoded</c>.</summary>
    public static Dictionary<string, string> FormBody(IRequestMessage request) => ParseUrlEncoded(BodyText(request));

    public static Dictionary<string, string> ParseUrlEncoded(string? encoded)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(encoded))
        {
            return result;
        }

        foreach (var pair in encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            result.TryAdd(name, value);
        }

        return result;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    public static Uri AppendQuery(Uri baseUri, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var builder = new StringBuilder(baseUri.Query.Length > 1 ? baseUri.Query[1..] : string.Empty);
        foreach (var (name, value) in parameters)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new UriBuilder(baseUri) { Query = builder.ToString() }.Uri;
    }

    public static string Iso8601(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static FakeHttpRequest Record(IRequestMessage request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.Headers is not null)
        {
            foreach (var (name, values) in request.Headers)
            {
                headers[name] = string.Join(", ", values ?? []);
            }
        }

        var bytes = request.BodyData?.BodyAsBytes;
        return new FakeHttpRequest(
            request.Method,
            request.Path,
            request.RawQuery ?? string.Empty,
            headers,
            bytes is null && request.BodyData?.BodyAsString is null ? null : BodyText(request));
    }
}
