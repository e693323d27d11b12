using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>
/// The step sampling behind <c>metrics/get-history-bulk-interval</c> (the MLflow UI's charts): the
/// distinct steps of all requested runs in the range, thinned evenly to at most the requested number,
/// always keeping the first and the last, so every run is charted at the same steps.
/// </summary>
internal static class MetricSampling
{
    public static HashSet<long> SampleSteps(IEnumerable<long> steps, long? startStep, long? endStep, int maxResults)
    {
        var inRange = steps.Where(s => (startStep is null || s >= startStep) && (endStep is null || s <= endStep)).Distinct().Order().ToList();
        if (inRange.Count <= maxResults)
        {
            return [.. inRange];
        }

        if (maxResults == 1)
        {
            return [inRange[0]];
        }

        var sampled = new HashSet<long>();
        for (var i = 0; i < maxResults; i++)
        {
            sampled.Add(inRange[(int)Math.Round(i * (inRange.Count - 1) / (double)(maxResults - 1), MidpointRounding.AwayFromZero)]);
        }

        return sampled;
    }

    /// <summary>Points of each run at the sampled steps, runs in id order, at most <paramref name="maxResults"/> per run.</summary>
    public static List<MetricWithRunId> Select(IReadOnlyList<(string RunId, IReadOnlyList<Metric> History)> runs, long? startStep, long? endStep, int maxResults)
    {
        var steps = SampleSteps(runs.SelectMany(r => r.History.Select(m => m.Step)), startStep, endStep, maxResults);
        var result = new List<MetricWithRunId>();
        foreach (var (runId, history) in runs.OrderBy(r => r.RunId, StringComparer.Ordinal))
        {
            result.AddRange(history.Where(m => steps.Contains(m.Step)).Take(maxResults).Select(m => new MetricWithRunId(m.Key, m.Value, m.Timestamp, m.Step, runId)));
        }

        return result;
    }
}
