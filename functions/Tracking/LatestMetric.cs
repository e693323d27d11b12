namespace Serverless.Tracking;

/// <summary>The latest point of one metric key, as denormalised onto the run row.</summary>
/// <param name="Value">Value (NaN and ±Infinity allowed).</param>
/// <param name="Timestamp">Milliseconds since the epoch.</param>
/// <param name="Step">Step.</param>
internal sealed record LatestMetric(double Value, long Timestamp, long Step)
{
    /// <summary>
    /// MLflow's rule: the latest point is the greatest by (step, timestamp, value), so a late-arriving
    /// older point never replaces a newer one. NaN sorts below every number.
    /// </summary>
    public bool IsNewerThan(LatestMetric other)
    {
        if (Step != other.Step)
        {
            return Step > other.Step;
        }

        if (Timestamp != other.Timestamp)
        {
            return Timestamp > other.Timestamp;
        }

        return Value.CompareTo(other.Value) >= 0;
    }
}
