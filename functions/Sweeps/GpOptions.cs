namespace Serverless.Sweeps;

/// <summary>Settings of the Gaussian-process sampler.</summary>
public sealed record GpOptions
{
    /// <summary>Trials drawn at random before the model is used.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Extra random starting points when fitting the kernel hyperparameters (the default start is always tried).</summary>
    public int HyperparameterRestarts { get; init; } = 1;

    /// <summary>Iterations of the bounded quasi-Newton fit per start.</summary>
    public int FitIterations { get; init; } = 30;

    /// <summary>
    /// Most trials used to fit the kernel hyperparameters (half the best, half the most recent); the
    /// posterior itself always uses every trial. Fitting is cubic in the trial count, so this bounds its cost.
    /// </summary>
    public int MaxFitTrials { get; init; } = 60;

    /// <summary>Random candidates scored before local refinement of expected improvement.</summary>
    public int Candidates { get; init; } = 1000;

    /// <summary>Best candidates refined by local search.</summary>
    public int RefinedCandidates { get; init; } = 4;
}
