using Serverless.Pipelines.Parsing;

namespace Serverless.Schedules.Definition;

/// <summary>Hooks the schedule checks into pipeline validation, so <c>POST /api/pipelines/validate</c> and publishing report them.</summary>
public static class ScheduleValidation
{
    /// <summary>The key the check is registered under.</summary>
    public const string Key = "schedules";

    /// <summary>Registers the check with <see cref="PipelineSectionChecks"/>; calling it again does nothing new.</summary>
    public static void Register() =>
        PipelineSectionChecks.Register(Key, (definition, yaml, file) => ScheduleParser.Parse(yaml, file, definition).Diagnostics);
}
