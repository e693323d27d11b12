using System.Collections.Concurrent;
using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Parsing;

/// <summary>
/// Checks a section the core parser keeps as opaque YAML (such as <c>schedules:</c>), given the parsed
/// definition and the source text (for line and column).
/// </summary>
/// <param name="definition">The pipeline as parsed.</param>
/// <param name="yaml">The file's text.</param>
/// <param name="file">The file name used in messages.</param>
public delegate IEnumerable<PipelineDiagnostic> PipelineSectionCheck(PipelineDefinition definition, string yaml, string file);

/// <summary>
/// Checks contributed by other contexts, which <see cref="PipelineParser.Parse"/> runs after its own so
/// their problems are reported together with the pipeline's. The pipelines library cannot reference those
/// contexts, so they register here (once per process, by key).
/// </summary>
public static class PipelineSectionChecks
{
    private static readonly ConcurrentDictionary<string, PipelineSectionCheck> s_checks = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces the check registered under <paramref name="key"/>.</summary>
    public static void Register(string key, PipelineSectionCheck check)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        s_checks[key] = check ?? throw new ArgumentNullException(nameof(check));
    }

    internal static IEnumerable<PipelineDiagnostic> Run(PipelineDefinition definition, string yaml, string file) =>
        s_checks.OrderBy(c => c.Key, StringComparer.Ordinal).SelectMany(c => c.Value(definition, yaml, file));
}
