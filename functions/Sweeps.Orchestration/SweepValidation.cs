using Serverless.Pipelines.Parsing;

namespace Serverless.Sweeps.Orchestration;

/// <summary>
/// Hooks the sweep-block checks into pipeline validation, so validating, publishing and starting a run
/// refuse an invalid <c>sweep:</c> block with line and column instead of failing the run at the swept step.
/// </summary>
public static class SweepValidation
{
    /// <summary>The key the check is registered under.</summary>
    public const string Key = "sweeps";

    /// <summary>Registers the check with <see cref="PipelineSectionChecks"/>; calling it again does nothing new.</summary>
    public static void Register() => PipelineSectionChecks.Register(Key, SweepStepDefinition.Validate);
}
