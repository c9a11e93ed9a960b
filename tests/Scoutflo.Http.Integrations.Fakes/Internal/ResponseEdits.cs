using System.Text;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace Scoutflo.Http.Integrations.Fakes.Internal;

/// <summary>
/// Edits queued for the next successful JSON answers of one endpoint: the provider did its work
/// (a code was spent, a refresh token rotated) and then answered something odd, as a provider
/// with a bug, a proxy or an attacker in the middle might.
/// </summary>
internal sealed class ResponseEdits
{
    private readonly Queue<Action<JsonObject>> _edits = new();
    private readonly Lock _gate = new();

    public void Enqueue(int count, Action<JsonObject> edit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(edit);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _edits.Enqueue(edit);
            }
        }
    }

    /// <summary>Applies the next edit to a 2xx JSON object answer; other answers pass unchanged and keep the edit queued.</summary>
    public IResponseMessage Apply(IResponseMessage response)
    {
        if (response is not ResponseMessage { StatusCode: int status and >= 200 and < 300 } message
            || message.BodyData?.BodyAsString is not { } text
            || Parse(text) is not JsonObject body)
        {
            return response;
        }

        Action<JsonObject>? edit;
        lock (_gate)
        {
            if (!_edits.TryDequeue(out edit))
            {
                return response;
            }
        }

        edit(body);
        message.BodyData = new BodyData
        {
            BodyAsString = body.ToJsonString(),
            Encoding = Encoding.UTF8,
            DetectedBodyType = BodyType.String,
        };
        return message;
    }

    // A provider may answer form-encoded (GitHub without Accept: application/json): not JSON, not edited.
    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
