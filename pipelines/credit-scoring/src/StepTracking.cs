using System.Globalization;
using Serverless.Tracking.Client;

namespace Serverless.CreditScoring;

/// <summary>
/// Every call the steps make to the tracking server goes through here. Without <c>MLFLOW_TRACKING_URI</c>
/// logging is skipped (so the step code runs by hand), but registry operations that a step's result
/// depends on say clearly that tracking is required.
/// </summary>
internal sealed class StepTracking : IDisposable
{
    private readonly MlflowClient? _client;
    private readonly string? _runId;

    private StepTracking(MlflowClient? client, string? runId)
    {
        _client = client;
        _runId = runId;
    }

    public bool Enabled => _client is not null && _runId is not null;

    public static StepTracking FromEnvironment()
    {
        if (MlflowEnvironment.TrackingUri is not { } uri)
        {
            return new StepTracking(null, null);
        }

        return new StepTracking(new MlflowClient(uri), MlflowEnvironment.RunId);
    }

    public static StepTracking For(MlflowClient client, string runId) => new(client, runId);

    public async Task LogParamsAsync(IReadOnlyDictionary<string, string> parameters)
    {
        if (Enabled)
        {
            await _client!.LogBatchAsync(_runId!, parameters: parameters.Select(p => new Param(p.Key, p.Value)));
        }
    }

    public async Task LogMetricsAsync(IReadOnlyDictionary<string, double> metrics)
    {
        if (Enabled)
        {
            var now = MlflowClient.NowMilliseconds();
            await _client!.LogBatchAsync(_runId!, metrics: metrics.Select(m => new Metric(m.Key, m.Value, now)));
        }
    }

    /// <summary>Logs several values of one metric, each at its own step (e.g. boosting rounds so far).</summary>
    public async Task LogMetricHistoryAsync(string key, IEnumerable<(long Step, double Value)> points)
    {
        var list = points.ToList();
        if (Enabled && list.Count > 0)
        {
            var now = MlflowClient.NowMilliseconds();
            await _client!.LogBatchAsync(_runId!, metrics: list.Select(p => new Metric(key, p.Value, now, p.Step)));
        }
    }

    public async Task SetTagsAsync(IReadOnlyDictionary<string, string> tags)
    {
        if (Enabled)
        {
            await _client!.LogBatchAsync(_runId!, tags: tags.Select(t => new Tag(t.Key, t.Value)));
        }
    }

    public async Task LogArtifactsAsync(string localDirectory, string artifactPath)
    {
        if (Enabled)
        {
            await _client!.LogArtifactsAsync(_runId!, localDirectory, artifactPath);
        }
    }

    /// <summary>The champion's AUC (version tag <c>auc</c>), or null when there is no champion or no tracking.</summary>
    public async Task<(string Version, double Auc)?> GetChampionAsync(string modelName)
    {
        if (_client is null)
        {
            return null;
        }

        try
        {
            var champion = await _client.GetModelVersionByAliasAsync(modelName, "champion");
            var tag = champion.Tags?.FirstOrDefault(t => t.Key == "auc")?.Value;
            if (tag is not null && double.TryParse(tag, NumberStyles.Float, CultureInfo.InvariantCulture, out var auc))
            {
                return (champion.Version, auc);
            }

            throw new StepFailedException($"champion version {champion.Version} of '{modelName}' has no numeric 'auc' tag to compare against");
        }
        catch (MlflowException ex) when (ex.ErrorCode == MlflowErrorCodes.ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>Registers the model logged under <paramref name="artifactPath"/> of this run as a new version.</summary>
    public async Task<string> RegisterAsync(string modelName, string artifactPath, IReadOnlyDictionary<string, string> tags, bool makeChampion)
    {
        if (!Enabled)
        {
            throw new StepFailedException($"register needs a tracking server: set {MlflowEnvironment.TrackingUriVariable} and {MlflowEnvironment.RunIdVariable}");
        }

        try
        {
            await _client!.CreateRegisteredModelAsync(modelName, "Credit risk model trained by the credit-scoring pipeline");
        }
        catch (MlflowException ex) when (ex.ErrorCode == MlflowErrorCodes.ResourceAlreadyExists)
        {
            // Registered by an earlier run; new versions are added to it.
        }

        var run = await _client!.GetRunAsync(_runId!);
        var source = $"{run.Info.ArtifactUri?.TrimEnd('/')}/{artifactPath}";
        var version = await _client!.CreateModelVersionAsync(modelName, source, _runId,
            tags.Select(t => new Tag(t.Key, t.Value)), description: "registered by the credit-scoring pipeline");
        if (makeChampion)
        {
            await _client!.SetRegisteredModelAliasAsync(modelName, "champion", version.Version);
        }

        return version.Version;
    }

    public void Dispose() => _client?.Dispose();
}
