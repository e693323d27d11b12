namespace Serverless.Sweeps;

/// <summary>Settings of the Gaussian-process sampler.</summary>
public sealed record GpOptions
{
    /// <summary>Trials drawn at random before the model is used.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Extra random starting points when fitting the kernel hyperparameters (the default start is always tried).</summary>
    public int HyperparameterRestarts { get; init; } = 2;

    /// <summary>Iterations of the bounded quasi-Newton fit per start.</summary>
    public int FitIterations { get; init; } = 40;

    /// <summary>Random candidates scored before local refinement of expected improvement.</summary>
    public int Candidates { get; init; } = 1000;

    /// <summary>Best candidates refined by local search.</summary>
    public int RefinedCandidates { get; init; } = 4;
}
