using Serverless.Pipelines.Definition;

namespace Serverless.Schedules.Definition;

/// <summary>The schedules of a pipeline file, or the problems that stop them from being used.</summary>
/// <param name="Schedules">The schedules; empty when there is any problem.</param>
/// <param name="Diagnostics">Every problem found, with file, line and column.</param>
public sealed record ScheduleParseResult(IReadOnlyList<ScheduleDefinition> Schedules, IReadOnlyList<PipelineDiagnostic> Diagnostics)
{
    /// <summary>True when there are no problems.</summary>
    public bool IsValid => Diagnostics.Count == 0;
}
