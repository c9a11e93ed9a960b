using System.Text;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Makes text a provider sent back (<c>error</c>, <c>error_description</c>, <c>detail</c>) safe to
/// put into an exception message, a log line or a span: a provider may echo what it was sent, so
/// every secret of the request (client secret, code, refresh token, the Basic credential) is
/// replaced by <see cref="Redacted"/> in its raw and encoded forms, as is any fragment of one
/// (an echo cut short); control characters become spaces; the result is at most
/// <see cref="MaxLength"/> characters and an ellipsis.
/// </summary>
internal static class ProviderText
{
    public const string Redacted = "[redacted]";

    public const int MaxLength = 200;

    /// <summary>A word this long that is part of a secret is taken for a piece of it.</summary>
    private const int MinFragmentLength = 8;

    /// <summary>Only so much of a long text is looked at: it is cut to <see cref="MaxLength"/> anyway.</summary>
    private const int MaxScannedLength = MaxLength * 4;

    public static string? Clean(string? text, TokenRequest request) => Clean(text, request.SecretValues());

    public static string? Clean(string? text, IEnumerable<string> secrets)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > MaxScannedLength)
        {
            text = text[..MaxScannedLength];
        }

        var forms = secrets
            .Where(s => s.Length > 0)
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s), WebUtility.UrlEncode(s) })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToList();
        foreach (var form in forms)
        {
            text = text.Replace(form, Redacted, StringComparison.Ordinal);
        }

        var result = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && IsWordChar(text[i]))
            {
                continue;
            }

            if (i > start)
            {
                var word = text[start..i];
                result.Append(IsFragment(word, forms) ? Redacted : word);
            }

            if (i < text.Length)
            {
                result.Append(char.IsControl(text[i]) ? ' ' : text[i]);
            }

            start = i + 1;
        }

        return result.Length <= MaxLength ? result.ToString() : result.ToString(0, MaxLength) + "…";
    }

    // Secrets are tokens: letters, digits and the punctuation of base64, base64url and URL encoding.
    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '+' or '/' or '=' or '%';

    private static bool IsFragment(string word, List<string> forms)
    {
        var trimmed = word.Trim('.');
        return trimmed.Length >= MinFragmentLength && forms.Any(f => f.Contains(trimmed, StringComparison.Ordinal));
    }
}
