using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Serverless.Sweeps;

/// <summary>
/// The parameter values of one trial, keyed by dotted name (<c>optimizer.lr</c>). Values are
/// <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <see cref="bool"/> or null.
/// <see cref="ToNested"/> recovers the nested structure the configuration declared.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "'parameter set' is the domain's name for a trial's values.")]
public sealed class ParameterSet : IReadOnlyDictionary<string, object?>
{
    private readonly SortedDictionary<string, object?> _values;

    /// <summary>Creates a set from flat dotted names.</summary>
    public ParameterSet(IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            _values[key] = value;
        }
    }

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<object?> Values => _values.Values;

    /// <inheritdoc />
    public object? this[string key] => _values[key];

    /// <summary>The value as a double (for numeric parameters).</summary>
    public double GetDouble(string name) => Convert.ToDouble(_values[name], CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out object? value) => _values.TryGetValue(key, out value);

    /// <summary>
    /// The values as nested dictionaries: <c>optimizer.lr</c> becomes <c>{"optimizer": {"lr": …}}</c>,
    /// the shape a training script receives.
    /// </summary>
    public Dictionary<string, object?> ToNested()
    {
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in _values)
        {
            var parts = key.Split('.');
            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!node.TryGetValue(parts[i], out var child) || child is not Dictionary<string, object?> childDict)
                {
                    childDict = new Dictionary<string, object?>(StringComparer.Ordinal);
                    node[parts[i]] = childDict;
                }

                node = childDict;
            }

            node[parts[^1]] = value;
        }

        return root;
    }

    /// <summary>A canonical text of the values, equal for equal sets (used to de-duplicate grid points).</summary>
    public string CanonicalKey()
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in _values)
        {
            sb.Append(key).Append('=').Append(FormatValue(value)).Append(';');
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={FormatValue(kv.Value)}"));

    /// <summary>Formats a parameter value invariantly (reals round-trip, booleans lower-case), as params are logged.</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
