namespace Serverless.Sweeps.Benchmarks;

/// <summary>
/// Compute saved by an early-stopping rule on a synthetic learning-curve family. Each trial draws a
/// configuration x uniformly in [0,1]^3; its final loss is q = Hartmann3(x) − f* (0 at the optimum) and
/// its curve is y(t) = q + c·exp(−t/τ) + ε with c ~ U(0.5, 2), τ ~ U(3, 25) and ε ~ N(0, 0.01²), for
/// t = 1..81. Trials run on <c>Workers</c> simulated workers in lock-step; after every logged value the rule
/// decides on the trial. Compute is the number of steps run; "full" runs every trial to 81 steps.
/// </summary>
internal static class AshaSimulation
{
    public const int MaxSteps = 81;
    public const int Trials = 81;
    public const int Workers = 4;

    public sealed record Outcome(long StepsUsed, long StepsFull, double BestWithRule, double BestFull, int Stopped);

    public static Outcome Run(IEarlyStopper rule, long seed)
    {
        var random = SweepRandom.For(seed, 0, 0xA5);
        var hartmann = TestFunction.All.First(f => f.Name == "Hartmann3");
        var trials = new List<(double Q, double C, double Tau)>();
        for (var i = 0; i < Trials; i++)
        {
            double[] x = [random.NextDouble(), random.NextDouble(), random.NextDouble()];
            trials.Add((hartmann.Function(x) - hartmann.Optimum, random.NextDouble(0.5, 2), random.NextDouble(3, 25)));
        }

        double Curve(int trial, int t, SweepRandom noise) =>
            trials[trial].Q + (trials[trial].C * Math.Exp(-t / trials[trial].Tau)) + (0.01 * noise.NextGaussian());

        var histories = new List<List<MetricPoint>>();
        var status = new List<TrialStatus>();
        var noises = new List<SweepRandom>();
        var active = new List<int>();
        var next = 0;
        long steps = 0;
        var stopped = 0;
        while (next < Trials || active.Count > 0)
        {
            while (active.Count < Workers && next < Trials)
            {
                histories.Add([]);
                status.Add(TrialStatus.Running);
                noises.Add(SweepRandom.For(seed, next, 0xB6));
                active.Add(next++);
            }

            foreach (var trial in active.ToList())
            {
                var t = histories[trial].Count + 1;
                histories[trial].Add(new MetricPoint(t, Curve(trial, t, noises[trial])));
                steps++;
                if (t == MaxSteps)
                {
                    status[trial] = TrialStatus.Completed;
                    active.Remove(trial);
                    continue;
                }

                var all = histories.Select((h, i) => new TrialProgress(i, status[i], h)).ToList();
                if (rule.Evaluate(all, all[trial]).ShouldStop)
                {
                    status[trial] = TrialStatus.Stopped;
                    active.Remove(trial);
                    stopped++;
                }
            }
        }

        // "Best result" is the noise-free final loss of the best trial that ran to completion (what the
        // sweep would hand on), against the best final loss had every trial run to the end.
        double Final(int i) => trials[i].Q + (trials[i].C * Math.Exp(-MaxSteps / trials[i].Tau));
        var fullFinals = Enumerable.Range(0, Trials).Select(Final);
        var completedFinals = Enumerable.Range(0, Trials).Where(i => status[i] == TrialStatus.Completed).Select(Final);
        return new Outcome(steps, (long)Trials * MaxSteps, completedFinals.Min(), fullFinals.Min(), stopped);
    }
}
