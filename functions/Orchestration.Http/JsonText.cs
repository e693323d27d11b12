using System.Text;
using System.Text.Json;

namespace Serverless.Orchestration.Http;

/// <summary>Checks JSON text without building a document, and says where it goes wrong.</summary>
internal static class JsonText
{
    /// <summary>Null when <paramref name="text"/> is exactly one JSON value; otherwise what is wrong and where (1-based line and column).</summary>
    public static string? GetProblem(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException e)
        {
            // The reader's message ends with its own 0-based "LineNumber: | BytePositionInLine:" suffix;
            // replace it with 1-based numbers people and editors use.
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }

            return $"{message.TrimEnd('.', ' ')} (line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1})";
        }
    }

    /// <summary>Whether <paramref name="text"/> is one valid JSON value.</summary>
    public static bool IsValid(string text) => GetProblem(text) is null;
}
