using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Pipelines.Definition;

/// <summary>
/// An immutable typed value: a parameter, a small step output or the result of an expression.
/// Equality is structural so that plans and cache keys are reproducible.
/// </summary>
[JsonConverter(typeof(PipelineValueJsonConverter))]
public sealed class PipelineValue : IEquatable<PipelineValue>
{
    private readonly object _value;

    private PipelineValue(PipelineType type, object value)
    {
        Type = type;
        _value = value;
    }

    /// <summary>The value's type.</summary>
    public PipelineType Type { get; }

    /// <summary>The boolean <c>true</c>.</summary>
    public static PipelineValue True { get; } = new(PipelineType.Bool, true);

    /// <summary>The boolean <c>false</c>.</summary>
    public static PipelineValue False { get; } = new(PipelineType.Bool, false);

    /// <summary>Creates a string value.</summary>
    public static PipelineValue FromString(string value) => new(PipelineType.String, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>Creates an integer value.</summary>
    public static PipelineValue FromInt(long value) => new(PipelineType.Int, value);

    /// <summary>Creates a number value.</summary>
    public static PipelineValue FromNumber(double value) => new(PipelineType.Number, value);

    /// <summary>Creates a boolean value.</summary>
    public static PipelineValue FromBool(bool value) => value ? True : False;

    /// <summary>Creates a list value.</summary>
    public static PipelineValue FromList(IEnumerable<PipelineValue> items) => new(PipelineType.List, items.ToArray());

    /// <summary>The text of a string value.</summary>
    public string AsString() => Type == PipelineType.String ? (string)_value : throw Mismatch(PipelineType.String);

    /// <summary>The integer of an int value.</summary>
    public long AsInt() => Type == PipelineType.Int ? (long)_value : throw Mismatch(PipelineType.Int);

    /// <summary>The number of a number or int value.</summary>
    public double AsNumber() => Type switch
    {
        PipelineType.Number => (double)_value,
        PipelineType.Int => (long)_value,
        _ => throw Mismatch(PipelineType.Number),
    };

    /// <summary>The truth of a bool value.</summary>
    public bool AsBool() => Type == PipelineType.Bool ? (bool)_value : throw Mismatch(PipelineType.Bool);

    /// <summary>The items of a list value.</summary>
    public IReadOnlyList<PipelineValue> AsList() => Type == PipelineType.List ? (PipelineValue[])_value : throw Mismatch(PipelineType.List);

    /// <summary>True when this value can stand where <paramref name="expected"/> is declared (an int is a number).</summary>
    public bool Fits(PipelineType expected) => Type == expected || (expected == PipelineType.Number && Type == PipelineType.Int);

    /// <summary>
    /// Converts the value to <paramref name="target"/> if that loses nothing (int to number, a whole number
    /// to int), or returns null.
    /// </summary>
    public PipelineValue? CoerceTo(PipelineType target)
    {
        if (Type == target)
        {
            return this;
        }

        return (Type, target) switch
        {
            (PipelineType.Int, PipelineType.Number) => FromNumber((long)_value),
            (PipelineType.Number, PipelineType.Int) when Math.Floor((double)_value) == (double)_value
                && Math.Abs((double)_value) < 9e15 => FromInt((long)(double)_value),
            _ => null,
        };
    }

    /// <summary>
    /// Parses text written by a step or typed on a command line as a value of <paramref name="type"/>.
    /// Lists are JSON arrays.
    /// </summary>
    /// <returns>The value, or null when the text is not a valid <paramref name="type"/>.</returns>
    public static PipelineValue? Parse(string text, PipelineType type)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        switch (type)
        {
            case PipelineType.String:
                return FromString(text.TrimEnd('\r', '\n'));
            case PipelineType.Int:
                return long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? FromInt(l) : null;
            case PipelineType.Number:
                return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? FromNumber(d) : null;
            case PipelineType.Bool:
                return t.ToLowerInvariant() switch { "true" => True, "false" => False, _ => null };
            case PipelineType.List:
                try
                {
                    using var doc = JsonDocument.Parse(t);
                    return doc.RootElement.ValueKind == JsonValueKind.Array ? FromJson(doc.RootElement) : null;
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary>Converts a JSON element (string, number, bool or array of those) to a value.</summary>
    /// <returns>The value, or null for objects and nulls, which pipelines do not carry.</returns>
    public static PipelineValue? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return FromString(element.GetString()!);
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? FromInt(l) : FromNumber(element.GetDouble());
            case JsonValueKind.Array:
                var items = new List<PipelineValue>();
                foreach (var item in element.EnumerateArray())
                {
                    if (FromJson(item) is not { } v)
                    {
                        return null;
                    }

                    items.Add(v);
                }

                return FromList(items);
            default:
                return null;
        }
    }

    /// <summary>Writes the value as JSON.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Type)
        {
            case PipelineType.String: writer.WriteStringValue((string)_value); break;
            case PipelineType.Int: writer.WriteNumberValue((long)_value); break;
            case PipelineType.Number: writer.WriteNumberValue((double)_value); break;
            case PipelineType.Bool: writer.WriteBooleanValue((bool)_value); break;
            default:
                writer.WriteStartArray();
                foreach (var item in (PipelineValue[])_value)
                {
                    item.WriteJson(writer);
                }

                writer.WriteEndArray();
                break;
        }
    }

    /// <summary>The value as compact JSON.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The value as it is substituted into a command line or environment variable: strings as-is,
    /// numbers in invariant culture, booleans lowercase, lists as JSON.
    /// </summary>
    public override string ToString() => Type switch
    {
        PipelineType.String => (string)_value,
        PipelineType.Int => ((long)_value).ToString(CultureInfo.InvariantCulture),
        PipelineType.Number => ((double)_value).ToString("R", CultureInfo.InvariantCulture),
        PipelineType.Bool => (bool)_value ? "true" : "false",
        _ => ToJson(),
    };

    /// <inheritdoc />
    public bool Equals(PipelineValue? other)
    {
        if (other is null)
        {
            return false;
        }

        if (Type == PipelineType.List && other.Type == PipelineType.List)
        {
            return ((PipelineValue[])_value).SequenceEqual((PipelineValue[])other._value);
        }

        return Type == other.Type && _value.Equals(other._value);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PipelineValue);

    /// <inheritdoc />
    public override int GetHashCode() => Type == PipelineType.List
        ? ((PipelineValue[])_value).Aggregate((int)Type, (h, v) => HashCode.Combine(h, v))
        : HashCode.Combine(Type, _value);

    private InvalidOperationException Mismatch(PipelineType wanted) =>
        new($"expected a {wanted.ToString().ToLowerInvariant()} value but found a {Type.ToString().ToLowerInvariant()}");
}
