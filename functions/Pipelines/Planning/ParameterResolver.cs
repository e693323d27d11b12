using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Planning;

/// <summary>Combines supplied run parameters with the pipeline's defaults and checks them.</summary>
public static class ParameterResolver
{
    /// <summary>
    /// Returns every parameter's value: the supplied one (coerced to the declared type, strings parsed) or
    /// the default.
    /// </summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="supplied">Values given for the run; strings are parsed as the declared type (lists as JSON).</param>
    /// <exception cref="ArgumentException">Unknown names, missing required values or wrong types; all are listed.</exception>
    public static IReadOnlyDictionary<string, PipelineValue> Resolve(
        PipelineDefinition pipeline, IReadOnlyDictionary<string, PipelineValue>? supplied = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        supplied ??= new Dictionary<string, PipelineValue>();
        var problems = new List<string>();
        var result = new Dictionary<string, PipelineValue>(StringComparer.Ordinal);
        foreach (var name in supplied.Keys.Where(k => pipeline.FindParameter(k) is null).Order(StringComparer.Ordinal))
        {
            problems.Add($"unknown parameter '{name}'");
        }

        foreach (var p in pipeline.Parameters)
        {
            if (supplied.TryGetValue(p.Name, out var given))
            {
                var value = given.CoerceTo(p.Type)
                    ?? (given.Type == PipelineType.String ? PipelineValue.Parse(given.AsString(), p.Type) : null);
                if (value is null)
                {
                    problems.Add($"parameter '{p.Name}' must be {p.Type.ToString().ToLowerInvariant()}, but got {given.ToJson()}");
                }
                else
                {
                    result[p.Name] = value;
                }
            }
            else if (p.Default is { } d)
            {
                result[p.Name] = d.CoerceTo(p.Type) ?? d;
            }
            else
            {
                problems.Add($"parameter '{p.Name}' is required (it has no default)");
            }
        }

        return problems.Count == 0
            ? result
            : throw new ArgumentException($"invalid parameters for pipeline '{pipeline.Name}': {string.Join("; ", problems)}", nameof(supplied));
    }
}
