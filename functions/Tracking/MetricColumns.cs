using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace Serverless.Tracking;

/// <summary>
/// Latest metric values denormalised onto the run row as one string property per key
/// (<c>M_&lt;name&gt;</c>), so that run search can push <c>metrics.x &gt; v</c> to the table service and
/// project only the values it sorts by instead of every run's whole row.
/// </summary>
/// <remarks>
/// Values are stored as 16 hex digits whose ordinal order is the numeric order of the doubles
/// (sign-flipped IEEE 754 bits), because the Tables SDK cannot write NaN or ±Infinity as Edm.Double
/// and string comparisons are exact on both Azurite and Azure. NaN is stored as <c>NaN</c>: no pushed
/// comparison needs to find it, since in memory NaN matches none of <c>= &lt; &lt;= &gt; &gt;=</c>.
/// </remarks>
internal static class MetricColumns
{
    /// <summary>Marks a row whose every metric key has a column (<c>all</c>) or not (<c>some</c>).</summary>
    public const string Marker = "MCols";
    public const string All = "all";
    public const string Some = "some";

    // An entity holds 255 properties; the info columns and the chunked JSON columns need the rest.
    public const int MaxColumns = 100;

    private const string Prefix = "M_";
    private const int MaxPropertyName = 255;
    private const string NaN = "NaN";

    /// <summary>The property for <paramref name="key"/>, or null when its encoding is too long to be a property name.</summary>
    public static string? PropertyName(string key)
    {
        // Property names must be identifiers: letters and digits stay, every other UTF-8 byte
        // (including '_') becomes _XX, so distinct keys never share a column.
        var builder = new StringBuilder(Prefix, Prefix.Length + key.Length);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            if (char.IsAsciiLetterOrDigit((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('_').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            if (builder.Length > MaxPropertyName)
            {
                return null;
            }
        }

        return builder.ToString();
    }

    /// <summary>The order-preserving text of <paramref name="value"/>.</summary>
    public static string Encode(double value)
    {
        if (double.IsNaN(value))
        {
            return NaN;
        }

        // -0.0 equals 0.0 in every comparison the filter language makes, so store them alike.
        var bits = (ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value);
        var ordered = (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, ordered);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The value <see cref="Encode"/> wrote, or null for text it could not have written.</summary>
    public static double? Decode(string? text)
    {
        if (text == NaN)
        {
            return double.NaN;
        }

        if (text is not { Length: 16 } || !ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ordered))
        {
            return null;
        }

        var bits = (ordered & 0x8000_0000_0000_0000UL) != 0 ? ordered & 0x7FFF_FFFF_FFFF_FFFFUL : ~ordered;
        return BitConverter.Int64BitsToDouble((long)bits);
    }

    /// <summary>Writes the columns and the marker for <paramref name="metrics"/> onto a run row.</summary>
    public static void Write(TableEntity entity, IReadOnlyDictionary<string, LatestMetric> metrics)
    {
        var written = 0;
        var complete = true;
        // Which keys get a column only needs a stable order when some must go without one.
        var ordered = metrics.Count > MaxColumns ? metrics.OrderBy(m => m.Key, StringComparer.Ordinal) : (IEnumerable<KeyValuePair<string, LatestMetric>>)metrics;
        foreach (var (key, latest) in ordered)
        {
            if (written == MaxColumns || PropertyName(key) is not { } name)
            {
                complete = false;
                continue;
            }

            entity[name] = Encode(latest.Value);
            written++;
        }

        entity[Marker] = complete ? All : Some;
    }
}
