namespace Serverless.Sweeps;

/// <summary>The outcome of parsing a sweep block: a config when valid, and every error found otherwise.</summary>
/// <param name="Config">The parsed configuration; null when there were errors.</param>
/// <param name="Errors">Every problem found, in document order.</param>
public sealed record SweepConfigParseResult(SweepConfig? Config, IReadOnlyList<SweepConfigError> Errors)
{
    /// <summary>Whether the block was valid.</summary>
    public bool Succeeded => Config is not null && Errors.Count == 0;
}
