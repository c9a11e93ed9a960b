namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>Reads Slack's <c>{"ok":false,"error":"..."}</c> from the start of a body, complete or not.</summary>
internal static class SlackErrorBody
{
    /// <summary>
    /// The top-level <c>error</c> of a body whose <c>ok</c> is false; <see langword="null"/> for
    /// a success, for anything that is not such an object, and when the prefix ends before both
    /// were seen (Slack writes them first).
    /// </summary>
    public static string? Read(ReadOnlySpan<byte> json, bool complete)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: complete, state: default);
        bool? ok = null;
        string? error = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOk = reader.ValueTextEquals("ok"u8);
                var isError = reader.ValueTextEquals("error"u8);
                if (!reader.Read())
                {
                    break;
                }

                if (isOk && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    ok = reader.GetBoolean();
                }
                else if (isError && reader.TokenType == JsonTokenType.String)
                {
                    error = reader.GetString();
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    break;
                }

                if (ok is true)
                {
                    return null;
                }

                if (ok is false && error is not null)
                {
                    return error;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: no verdict.
        }

        return ok is false ? error : null;
    }
}
