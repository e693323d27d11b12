using System.Diagnostics;
using System.Globalization;
using System.Text;
using Serverless.Sweeps;
using Serverless.Sweeps.Benchmarks;

// Sampler benchmark: trials to reach regret thresholds on standard functions, sampler cost per
// suggestion at 200 trials, and early-stopping compute savings. `--quick` uses 5 seeds and small caps.
var quick = args.Contains("--quick");
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var functionFilter = args.SkipWhile(a => a != "--function").Skip(1).FirstOrDefault();
var seedsArg = args.SkipWhile(a => a != "--seeds").Skip(1).FirstOrDefault();
var seedOffset = int.Parse(args.SkipWhile(a => a != "--seed-offset").Skip(1).FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
var seeds = seedsArg is not null ? int.Parse(seedsArg, CultureInfo.InvariantCulture) : quick ? 5 : 30;
var caps = new Dictionary<string, int> { ["random"] = quick ? 100 : 400, ["tpe"] = quick ? 100 : 400, ["gp"] = quick ? 40 : 100 };
var output = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    output.AppendLine(line);
}

static ISweepSampler Make(string kind, SweepConfig baseConfig) => kind switch
{
    "random" => new RandomSampler(baseConfig with { Method = SweepMethod.Random }),
    "tpe" => new TpeSampler(baseConfig with { Method = SweepMethod.Bayes }),
    _ => new GpSampler(baseConfig with { Method = SweepMethod.Bayes, Sampler = BayesSampler.GaussianProcess }),
};

Say($"Sweeps benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, seeds {seeds}, caps {string.Join(", ", caps.Select(c => $"{c.Key} {c.Value}"))}");
Say(string.Empty);
var samplers = caps.Keys.Where(k => only is null || k == only).ToList();
Say("| Function, ε | " + string.Join(" | ", samplers) + " |");
Say("|---|" + string.Concat(samplers.Select(_ => "---|")));
foreach (var function in TestFunction.All.Where(f => functionFilter is null || f.Name == functionFilter))
{
    var reached = new Dictionary<string, int?[][]>();
    var finalRegret = new Dictionary<string, double[]>();
    foreach (var kind in samplers)
    {
        var cap = caps[kind];
        var perSeed = new int?[seeds][];
        var regrets = new double[seeds];
        var watch = Stopwatch.StartNew();
        Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var sampler = Make(kind, function.Config(SweepMethod.Random, BayesSampler.Tpe, seed + 1 + seedOffset));
            var state = SweepState.Empty;
            var best = double.PositiveInfinity;
            var hits = new int?[function.Thresholds.Length];
            for (var trial = 1; trial <= cap; trial++)
            {
                var p = sampler.Suggest(state, 1)[0];
                var value = function.Evaluate(p);
                state = state.With(new TrialRecord(state.Trials.Count, p, TrialStatus.Completed, value));
                best = Math.Min(best, value);
                for (var i = 0; i < hits.Length; i++)
                {
                    if (hits[i] is null && best - function.Optimum <= function.Thresholds[i])
                    {
                        hits[i] = trial;
                    }
                }

                if (hits.All(h => h is not null))
                {
                    break;
                }
            }

            perSeed[seed] = hits;
            regrets[seed] = best - function.Optimum;
        });
        reached[kind] = perSeed;
        finalRegret[kind] = regrets;
        Console.Error.WriteLine($"  {function.Name} {kind}: {watch.Elapsed.TotalSeconds:F1}s");
    }

    for (var i = 0; i < function.Thresholds.Length; i++)
    {
        var cells = samplers.Select(kind =>
        {
            var hits = reached[kind].Select(h => h[i]).ToList();
            var share = hits.Count(h => h is not null) * 100.0 / seeds;
            var sorted = hits.Select(h => h ?? int.MaxValue).OrderBy(h => h).ToList();
            var median = sorted[(sorted.Count - 1) / 2] is var lo && sorted[sorted.Count / 2] is var hi && hi == int.MaxValue
                ? $">{caps[kind]}"
                : (0.5 * (lo + hi)).ToString("0.#", CultureInfo.InvariantCulture);
            return $"{median} [{share:0}%]";
        });
        Say($"| {function.Name}, {function.Thresholds[i].ToString(CultureInfo.InvariantCulture)} | {string.Join(" | ", cells)} |");
    }
}

Say(string.Empty);
Say("Sampler time per suggestion with 200 finished trials (Hartmann6, 6 parameters), median of repeats:");
Say(string.Empty);
Say("| Sampler | ms per suggestion |");
Say("|---|---|");
{
    var h6 = TestFunction.All.First(f => f.Name == "Hartmann6");
    var seedState = SweepState.Empty;
    var filler = new RandomSampler(h6.Config(SweepMethod.Random, BayesSampler.Tpe, 99));
    for (var i = 0; i < 200; i++)
    {
        var p = filler.Suggest(seedState, 1)[0];
        seedState = seedState.With(new TrialRecord(i, p, TrialStatus.Completed, h6.Evaluate(p)));
    }

    foreach (var kind in samplers)
    {
        var sampler = Make(kind, h6.Config(SweepMethod.Random, BayesSampler.Tpe, 7));
        var repeats = kind == "gp" ? 5 : 50;
        var times = new List<double>();
        sampler.Suggest(seedState, 1);
        for (var r = 0; r < repeats; r++)
        {
            var w = Stopwatch.StartNew();
            sampler.Suggest(seedState, 1);
            times.Add(w.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Say($"| {kind} | {times[times.Count / 2].ToString("0.###", CultureInfo.InvariantCulture)} |");
    }
}

Say(string.Empty);
Say($"Early stopping on the synthetic learning-curve family ({AshaSimulation.Trials} trials × {AshaSimulation.MaxSteps} steps, {AshaSimulation.Workers} workers, {seeds} seeds):");
Say(string.Empty);
Say("| Rule | compute used (median of seeds) | saved | seeds with the same best final loss | median best-loss gap |");
Say("|---|---|---|---|---|");
var rules = new (string Name, Func<IEarlyStopper> Make)[]
{
    ("ASHA/Hyperband min_iter 3, eta 3", () => new HyperbandStopper(new HyperbandConfig { MinIter = 3, Eta = 3 }, MetricGoal.Minimize)),
    ("ASHA/Hyperband min_iter 1, eta 3", () => new HyperbandStopper(new HyperbandConfig { MinIter = 1, Eta = 3 }, MetricGoal.Minimize)),
    ("Median stopping delay 5, min 3 trials", () => new MedianStopper(new MedianStoppingConfig { DelayEvaluation = 5, MinTrials = 3 }, MetricGoal.Minimize)),
};
foreach (var (name, make) in rules)
{
    var outcomes = Enumerable.Range(0, seeds).AsParallel().Select(s => AshaSimulation.Run(make(), s + 1)).ToList();
    var used = outcomes.Select(o => (double)o.StepsUsed / o.StepsFull).OrderBy(v => v).ToList();
    var same = outcomes.Count(o => o.BestWithRule <= o.BestFull + 1e-12);
    var gaps = outcomes.Select(o => o.BestWithRule - o.BestFull).OrderBy(v => v).ToList();
    var medianUsed = used[used.Count / 2];
    Say($"| {name} | {medianUsed:P1} | {1 - medianUsed:P1} | {same}/{seeds} | {gaps[gaps.Count / 2].ToString("0.####", CultureInfo.InvariantCulture)} |");
}

var outPath = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
if (outPath is not null)
{
    File.WriteAllText(outPath, output.ToString());
}
