namespace Serverless.Sweeps;

/// <summary>One problem in a sweep configuration, with where it is (1-based line and column; 0 when built in code).</summary>
/// <param name="File">The file the configuration came from.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong, naming the field.</param>
public sealed record SweepConfigError(string File, int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
