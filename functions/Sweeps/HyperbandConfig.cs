namespace Serverless.Sweeps;

/// <summary>
/// Hyperband/ASHA early termination as W&amp;B defines it: either <see cref="MinIter"/> (rungs at
/// min_iter·eta^k) or <see cref="MaxIter"/> with <see cref="S"/> (rungs at max_iter/eta^k, k = 1..s).
/// </summary>
public sealed record HyperbandConfig
{
    /// <summary>First rung, in logged iterations.</summary>
    public int? MinIter { get; init; }

    /// <summary>Maximum iterations a trial runs (with <see cref="S"/>).</summary>
    public int? MaxIter { get; init; }

    /// <summary>Number of rungs below <see cref="MaxIter"/>.</summary>
    public int S { get; init; } = 1;

    /// <summary>Reduction factor: the top 1/eta of trials at a rung continue.</summary>
    public double Eta { get; init; } = 3;

    /// <summary>The rungs (iteration counts at which trials are compared), ascending.</summary>
    public IReadOnlyList<int> Rungs()
    {
        var rungs = new List<int>();
        if (MinIter is { } min)
        {
            // W&B lists rungs without an upper end; iterations past a few hundred thousand are not a sweep.
            for (double band = min; band <= 1_000_000 && rungs.Count < 64; band *= Eta)
            {
                rungs.Add((int)band);
            }
        }
        else if (MaxIter is { } max)
        {
            double band = max;
            for (var i = 0; i < S; i++)
            {
                band /= Eta;
                if (band < 1)
                {
                    break;
                }

                rungs.Add((int)band);
            }

            rungs.Sort();
        }

        return rungs;
    }
}
