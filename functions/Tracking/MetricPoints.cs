using System.Buffers.Binary;
using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>
/// Packs metric points of one key into a binary Table property: 24 bytes a point (step, timestamp,
/// value as little-endian int64/int64/double), so one entity carries up to <see cref="MaxPerEntity"/>
/// points and a 1,000-metric batch is a handful of entities rather than 1,000.
/// </summary>
internal static class MetricPoints
{
    public const int PointSize = 24;

    // A binary property holds 64 KiB; stay well below it.
    public const int MaxPerEntity = 2048;

    public static byte[] Pack(IReadOnlyList<Metric> points)
    {
        var bytes = new byte[points.Count * PointSize];
        var span = bytes.AsSpan();
        for (var i = 0; i < points.Count; i++)
        {
            var slot = span.Slice(i * PointSize, PointSize);
            BinaryPrimitives.WriteInt64LittleEndian(slot, points[i].Step);
            BinaryPrimitives.WriteInt64LittleEndian(slot[8..], points[i].Timestamp);
            BinaryPrimitives.WriteDoubleLittleEndian(slot[16..], points[i].Value);
        }

        return bytes;
    }

    public static void Unpack(string key, ReadOnlySpan<byte> bytes, List<Metric> into)
    {
        for (var offset = 0; offset + PointSize <= bytes.Length; offset += PointSize)
        {
            var slot = bytes.Slice(offset, PointSize);
            into.Add(new Metric(
                key,
                BinaryPrimitives.ReadDoubleLittleEndian(slot[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(slot[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(slot)));
        }
    }
}
