namespace Scoutflo.Http.Integrations.Http.Internal;

/// <summary>Turns a typed client's error answer into an <see cref="IntegrationApiException"/> that keeps the provider's messages.</summary>
internal static class ProviderErrorResponse
{
    // Error bodies are small; a larger one is not an error document worth keeping whole.
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxMessages = 20;
    private const int MaxMessageLength = 500;

    public static async Task<T?> GetJsonAsync<T>(HttpClient client, string path, string provider, System.Text.Json.JsonSerializerOptions? options, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, provider, cancellationToken).ConfigureAwait(false);
        return await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<T>(response.Content, options ?? JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
    }

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string provider, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var messages = new List<string>();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var body = await ReadPrefixAsync(response.Content, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            Collect(document.RootElement, messages, fields);
        }
        catch (JsonException)
        {
            // Not a JSON error document (an HTML error page from a proxy): the status alone says it.
        }

        throw new IntegrationApiException(provider, response.StatusCode, messages, fields);
    }

    private static void Collect(JsonElement root, List<string> messages, Dictionary<string, string> fields)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (root.TryGetProperty("errorMessages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && messages.Count < MaxMessages)
                {
                    messages.Add(Clip(item.GetString()!));
                }
            }
        }

        if (root.TryGetProperty("errors", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in map.EnumerateObject())
            {
                if (field.Value.ValueKind == JsonValueKind.String && fields.Count < MaxMessages)
                {
                    fields[Clip(field.Name)] = Clip(field.Value.GetString()!);
                }
            }
        }

        // Jira Service Management answers {"errorMessage": "..."}.
        if (root.TryGetProperty("errorMessage", out var single) && single.ValueKind == JsonValueKind.String)
        {
            messages.Add(Clip(single.GetString()!));
        }

        // Other Atlassian answers (the API gateway's 401/403/404) use {"message": "..."}.
        if (messages.Count == 0 && fields.Count == 0 && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
        {
            messages.Add(Clip(message.GetString()!));
        }
    }

    private static async Task<byte[]> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            return buffer.AsSpan(0, read).ToArray();
        }
    }

    private static string Clip(string value) => value.Length <= MaxMessageLength ? value : value[..MaxMessageLength] + "…";
}
