using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Pipelines.Definition;

namespace Serverless.Cli.Runs;

/// <summary>
/// Turns <c>-p key=value</c> arguments into the run's <c>parameters</c> object. With the pipeline's
/// definition at hand (a local folder) each value is typed and checked here, naming the parameter;
/// without it values travel as strings, which the server parses as the declared type.
/// </summary>
internal static class ParameterParser
{
    /// <summary>Splits the assignments, keeping their order.</summary>
    /// <exception cref="CliException">An argument is not <c>key=value</c> or a key repeats.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Split(IEnumerable<string>? assignments)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var raw in assignments ?? [])
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliException($"-p '{raw}': expected key=value, e.g. -p learning_rate=0.1", ExitCodes.Usage);
            }

            var key = raw[..eq].Trim();
            if (key.Length == 0)
            {
                throw new CliException($"-p '{raw}': the parameter name is empty", ExitCodes.Usage);
            }

            if (result.Any(p => p.Key == key))
            {
                throw new CliException($"-p {key}: given more than once", ExitCodes.Usage);
            }

            result.Add(new(key, raw[(eq + 1)..]));
        }

        return result;
    }

    /// <summary>The <c>parameters</c> JSON object, typed by <paramref name="definition"/> when given.</summary>
    /// <exception cref="CliException">A name is unknown or a value does not fit its declared type.</exception>
    public static JsonObject ToJson(IEnumerable<string>? assignments, PipelineDefinition? definition = null)
    {
        var parameters = new JsonObject();
        foreach (var (key, text) in Split(assignments))
        {
            if (definition is null)
            {
                parameters[key] = JsonValue.Create(text);
                continue;
            }

            var declared = definition.FindParameter(key) ?? throw new CliException(
                $"-p {key}: pipeline '{definition.Name}' has no parameter '{key}'" +
                (definition.Parameters.Count == 0 ? " (it declares none)" : $" (it declares: {string.Join(", ", definition.Parameters.Select(p => p.Name))})"),
                ExitCodes.Usage);
            var value = PipelineValue.Parse(text, declared.Type) ?? throw new CliException(
                $"-p {key}: parameter '{key}' is {Describe(declared.Type)}, but got '{text}'", ExitCodes.Usage);
            parameters[key] = JsonNode.Parse(value.ToJson());
        }

        return parameters;
    }

    private static string Describe(PipelineType type) => type switch
    {
        PipelineType.Int => "an int",
        PipelineType.Number => "a number",
        PipelineType.Bool => "a bool (true or false)",
        PipelineType.List => "a list (a JSON array such as [1,2])",
        _ => "a string",
    };
}
