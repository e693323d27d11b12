using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Tracking.Client;

/// <summary>
/// MLflow's JSON conventions: snake_case names, int64 as numbers, omitted empty fields, and
/// non-finite doubles. Shared by the client and the server so the two cannot drift apart.
/// </summary>
public static class MlflowJson
{
    /// <summary>
    /// Serializer options for MLflow bodies. Non-finite doubles are written as the strings
    /// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> (valid protobuf JSON, which the Python client
    /// parses); numbers are also accepted as strings, as protobuf JSON allows.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// Python's <c>json.dumps</c> writes bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> tokens, which
    /// are not JSON. Returns <paramref name="utf8"/> with those tokens (outside strings) quoted, or the
    /// input itself when there are none.
    /// </summary>
    public static ReadOnlyMemory<byte> QuoteNonFiniteLiterals(ReadOnlyMemory<byte> utf8)
    {
        var span = utf8.Span;
        if (FindNonFinite(span, 0) < 0)
        {
            return utf8;
        }

        var output = new ArrayBufferWriter<byte>(span.Length + 16);
        var start = 0;
        var at = FindNonFinite(span, 0);
        while (at >= 0)
        {
            var length = TokenLength(span, at);
            output.Write(span[start..at]);
            output.Write("\""u8);
            output.Write(span.Slice(at, length));
            output.Write("\""u8);
            start = at + length;
            at = FindNonFinite(span, start);
        }

        output.Write(span[start..]);
        return output.WrittenMemory;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowTrailingCommas = false,
            MaxDepth = 32,
            // A JSON API, never embedded in HTML: keep quotes and non-ASCII readable in messages.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    // Scans from `from` for a bare non-finite literal outside any string; -1 when there is none.
    private static int FindNonFinite(ReadOnlySpan<byte> s, int from)
    {
        var inString = false;
        for (var i = from; i < s.Length; i++)
        {
            var c = s[i];
            if (inString)
            {
                if (c == (byte)'\\')
                {
                    i++;
                }
                else if (c == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == (byte)'"')
            {
                inString = true;
            }
            else if (TokenLength(s, i) > 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static int TokenLength(ReadOnlySpan<byte> s, int i)
    {
        var rest = s[i..];
        if (rest.StartsWith("NaN"u8))
        {
            return 3;
        }

        if (rest.StartsWith("Infinity"u8))
        {
            return 8;
        }

        return rest.StartsWith("-Infinity"u8) ? 9 : 0;
    }
}
