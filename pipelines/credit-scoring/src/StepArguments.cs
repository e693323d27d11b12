using System.Globalization;

namespace Serverless.CreditScoring;

/// <summary>
/// <c>--name value</c> options of a subcommand. Every option a command reads must be declared, so a typo
/// is reported instead of silently ignored.
/// </summary>
internal sealed class StepArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly string _command;

    public StepArguments(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> allowed)
    {
        _command = command;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
            {
                throw new StepFailedException($"{command}: unexpected argument '{arg}' (options look like --name value)");
            }

            var name = arg[2..];
            if (!allowed.Contains(name))
            {
                throw new StepFailedException($"{command}: unknown option --{name}; allowed: {string.Join(", ", allowed.Select(a => "--" + a))}");
            }

            if (i + 1 >= args.Count)
            {
                throw new StepFailedException($"{command}: option --{name} needs a value");
            }

            _values[name] = args[++i];
        }
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new StepFailedException($"{_command}: option --{name} is required");

    public string? Optional(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public string String(string name, string fallback) => Optional(name) ?? fallback;

    public int Int(string name, int fallback) => Optional(name) is { } v
        ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Bad(name, v, "an integer")
        : fallback;

    public double Number(string name, double fallback) => Optional(name) is { } v
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Bad(name, v, "a number")
        : fallback;

    public bool Bool(string name, bool fallback) => Optional(name) is { } v
        ? bool.TryParse(v, out var b) ? b : throw Bad(name, v, "true or false")
        : fallback;

    private StepFailedException Bad(string name, string value, string what) => new($"{_command}: --{name} must be {what}, got '{value}'");
}
