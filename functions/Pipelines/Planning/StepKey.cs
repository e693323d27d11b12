namespace Serverless.Pipelines.Planning;

/// <summary>Identifies one unit of execution: a step, or one iteration of a parallel-for step.</summary>
/// <param name="Step">The step's name.</param>
/// <param name="Iteration">The 0-based iteration for parallel-for steps, else null.</param>
public readonly record struct StepKey(string Step, int? Iteration = null)
{
    /// <summary>Formats as <c>train</c> or <c>train[2]</c>.</summary>
    public override string ToString() => Iteration is { } i ? $"{Step}[{i}]" : Step;

    /// <summary>Parses the <see cref="ToString"/> form.</summary>
    /// <exception cref="FormatException">The text is not a step key.</exception>
    public static StepKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return new StepKey(text);
        }

        if (!text.EndsWith(']') || !int.TryParse(text.AsSpan(open + 1, text.Length - open - 2), out var i) || i < 0)
        {
            throw new FormatException($"'{text}' is not a step key like 'train' or 'train[2]'");
        }

        return new StepKey(text[..open], i);
    }
}
