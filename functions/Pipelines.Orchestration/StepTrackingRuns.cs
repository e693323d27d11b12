using System.Security.Cryptography;
using System.Text;

namespace Serverless.Pipelines.Orchestration;

/// <summary>
/// A step's child tracking run id, derived from the pipeline run id and the step key. Known before the run is
/// created, so the run's progress names it as soon as the step starts, and creating it is idempotent: a begin
/// delivered twice (a worker crashed in between) finds the run it made instead of leaving a second one behind.
/// </summary>
internal static class StepTrackingRuns
{
    /// <summary>32 lowercase hex digits, the shape of an MLflow run id.</summary>
    public static string IdFor(string runId, string stepKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{runId}\n{stepKey}")))[..32];
}
