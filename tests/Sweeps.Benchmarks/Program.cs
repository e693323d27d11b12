using System.Diagnostics;
using System.Globalization;
using System.Text;
using Serverless.Sweeps;
using Serverless.Sweeps.Benchmarks;

// Sampler benchmark (docs/benchmarks.md, sweeps section): trials to reach regret thresholds on standard test
// functions, the samplers' own time per suggestion at 200 trials, and early-stopping compute savings.
// Options: --quick (5 seeds, small caps), --seeds N, --seed-offset N, --only random|tpe|mtpe|gp,
// --function NAME, --sections quality,timing,stopping, --per-seed (print each seed's trial counts to stderr),
// --thresholds 0.1[,..] (only these regret thresholds, so a seed stops as soon as they are reached),
// --cap N (one trial cap for every sampler), --per-seed-csv FILE (sampler,function,epsilon,seed,trials rows;
// trials empty when the cap was hit), --out FILE (also writes the tables there).
// --one-step DIR [--draws N] [--draw-seed-base S]: only our side of one_step_optuna.py's check, for the first --function.
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

var quick = args.Contains("--quick");
var seeds = Option("--seeds") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : quick ? 5 : 30;
var seedOffset = int.Parse(Option("--seed-offset") ?? "0", CultureInfo.InvariantCulture);
var caps = new Dictionary<string, int> { ["random"] = quick ? 100 : 400, ["tpe"] = quick ? 100 : 400, ["mtpe"] = quick ? 100 : 400, ["gp"] = quick ? 40 : 100 };
if (Option("--cap") is { } capText)
{
    foreach (var key in caps.Keys.ToList())
    {
        caps[key] = int.Parse(capText, CultureInfo.InvariantCulture);
    }
}

var perSeedCsv = Option("--per-seed-csv") is { } csvPath ? new StringBuilder("sampler,function,epsilon,seed,trials\n") : null;
var samplers = caps.Keys.Where(k => Option("--only") is not { } only || k == only).ToList();
var functions = TestFunction.All.Where(f => Option("--function") is not { } name || f.Name == name).ToList();
if (Option("--thresholds") is { } thresholdText)
{
    var wanted = thresholdText.Split(',').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
    functions = [.. functions.Select(f => f with { Thresholds = wanted })];
}
var sections = Option("--sections")?.Split(',') ?? ["quality", "timing", "stopping"];
var output = new StringBuilder();

void Say(string line)
{
    Console.WriteLine(line);
    output.AppendLine(line);
}

// TPE settings other than the defaults, to compare variants: --tpe-candidates N, --tpe-gamma FRACTION,
// --tpe-gamma-cap N, --tpe-prior-weight W, --tpe-startup N, --tpe-normalised (score with normalised mixtures,
// as Optuna after 3.4, instead of Optuna 3.1's bandwidth-weighted density).
var tpeOptions = new TpeOptions();
if (Option("--tpe-candidates") is { } ei)
{
    tpeOptions = tpeOptions with { EiCandidates = int.Parse(ei, CultureInfo.InvariantCulture) };
}

if (Option("--tpe-startup") is { } startup)
{
    tpeOptions = tpeOptions with { StartupTrials = int.Parse(startup, CultureInfo.InvariantCulture) };
}

if (Option("--tpe-prior-weight") is { } pw)
{
    tpeOptions = tpeOptions with { PriorWeight = double.Parse(pw, CultureInfo.InvariantCulture) };
}

if (args.Contains("--tpe-normalised"))
{
    tpeOptions = tpeOptions with { BandwidthWeightedDensity = false };
}

if (Option("--tpe-gamma") is not null || Option("--tpe-gamma-cap") is not null)
{
    var fraction = double.Parse(Option("--tpe-gamma") ?? "0.1", CultureInfo.InvariantCulture);
    var cap = int.Parse(Option("--tpe-gamma-cap") ?? "25", CultureInfo.InvariantCulture);
    tpeOptions = tpeOptions with { Gamma = n => Math.Min((int)Math.Ceiling(fraction * n), cap) };
}

ISweepSampler Make(string kind, SweepConfig config) => kind switch
{
    "random" => new RandomSampler(config with { Method = SweepMethod.Random }),
    "tpe" => new TpeSampler(config with { Method = SweepMethod.Bayes }, tpeOptions),
    "mtpe" => new TpeSampler(config with { Method = SweepMethod.Bayes }, tpeOptions with { Multivariate = true }),
    _ => new GpSampler(config with { Method = SweepMethod.Bayes, Sampler = BayesSampler.GaussianProcess }),
};

// Trial (1-based) at which each regret threshold was first reached, or null within the cap.
int?[] Run(TestFunction function, ISweepSampler sampler, int cap)
{
    var state = SweepState.Empty;
    var best = double.PositiveInfinity;
    var hits = new int?[function.Thresholds.Length];
    for (var trial = 1; trial <= cap && hits.Any(h => h is null); trial++)
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
    }

    return hits;
}

static string Cell(IReadOnlyList<int?> hits, int cap)
{
    var share = hits.Count(h => h is not null) * 100.0 / hits.Count;
    var sorted = hits.Select(h => h ?? int.MaxValue).Order().ToList();
    var lo = sorted[(sorted.Count - 1) / 2];
    var hi = sorted[sorted.Count / 2];
    var median = hi == int.MaxValue ? $">{cap}" : (0.5 * (lo + hi)).ToString("0.#", CultureInfo.InvariantCulture);
    return $"{median} [{share:0}%]";
}

if (Option("--one-step") is { } oneStepDirectory)
{
    Environment.ExitCode = OneStep.Run(functions[0], oneStepDirectory, int.Parse(Option("--draws") ?? "400", CultureInfo.InvariantCulture),
        long.Parse(Option("--draw-seed-base") ?? "1000000", CultureInfo.InvariantCulture));
    return;
}

Say($"Sweeps benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, seeds {seeds}, caps {string.Join(", ", samplers.Select(k => $"{k} {caps[k]}"))}");

if (sections.Contains("quality"))
{
    Say(string.Empty);
    Say("Median trials to reach regret ≤ ε [share of seeds that reached it within the cap]:");
    Say(string.Empty);
    Say("| Function, ε | " + string.Join(" | ", samplers) + " |");
    Say("|---|" + string.Concat(samplers.Select(_ => "---|")));
    foreach (var function in functions)
    {
        var reached = new Dictionary<string, int?[][]>();
        foreach (var kind in samplers)
        {
            var watch = Stopwatch.StartNew();
            var perSeed = new int?[seeds][];
            Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
                perSeed[seed] = Run(function, Make(kind, function.Config(seed + 1 + seedOffset)), caps[kind]));
            reached[kind] = perSeed;
            for (var seed = 0; perSeedCsv is not null && seed < seeds; seed++)
            {
                for (var i = 0; i < function.Thresholds.Length; i++)
                {
                    perSeedCsv.Append(CultureInfo.InvariantCulture, $"{kind},{function.Name},{function.Thresholds[i]},{seed + 1 + seedOffset},{perSeed[seed][i]}\n");
                }
            }

            if (args.Contains("--per-seed"))
            {
                for (var i = 0; i < function.Thresholds.Length; i++)
                {
                    var sorted = perSeed.Select((h, k) => (Hit: h[i], Seed: k + 1 + seedOffset)).OrderBy(h => h.Hit ?? int.MaxValue)
                        .Select(h => $"{h.Hit?.ToString(CultureInfo.InvariantCulture) ?? "-"}(s{h.Seed})");
                    Console.Error.WriteLine($"  {function.Name} {kind} ε={function.Thresholds[i].ToString(CultureInfo.InvariantCulture)} per seed (sorted): {string.Join(' ', sorted)}");
                }
            }

            Console.Error.WriteLine($"  {function.Name} {kind}: {watch.Elapsed.TotalSeconds:F1}s");
        }

        for (var i = 0; i < function.Thresholds.Length; i++)
        {
            var cells = samplers.Select(kind => Cell([.. reached[kind].Select(h => h[i])], caps[kind]));
            Say($"| {function.Name}, {function.Thresholds[i].ToString(CultureInfo.InvariantCulture)} | {string.Join(" | ", cells)} |");
        }
    }
}

if (sections.Contains("timing"))
{
    Say(string.Empty);
    Say("Sampler time per suggestion with 200 finished trials (Hartmann6, 6 parameters), median of repeats:");
    Say(string.Empty);
    Say("| Sampler | ms per suggestion |");
    Say("|---|---|");
    var h6 = TestFunction.All.First(f => f.Name == "Hartmann6");
    var state = SweepState.Empty;
    var filler = new RandomSampler(h6.Config(99));
    for (var i = 0; i < 200; i++)
    {
        var p = filler.Suggest(state, 1)[0];
        state = state.With(new TrialRecord(i, p, TrialStatus.Completed, h6.Evaluate(p)));
    }

    foreach (var kind in samplers)
    {
        var sampler = Make(kind, h6.Config(7));
        sampler.Suggest(state, 1);
        var times = new List<double>();
        for (var r = 0; r < (kind == "gp" ? 7 : 51); r++)
        {
            var w = Stopwatch.StartNew();
            sampler.Suggest(state, 1);
            times.Add(w.Elapsed.TotalMilliseconds);
        }

        Say($"| {kind} | {times.Order().ElementAt(times.Count / 2).ToString("0.###", CultureInfo.InvariantCulture)} |");
    }
}

if (sections.Contains("stopping"))
{
    Say(string.Empty);
    Say($"Early stopping on the synthetic learning-curve family ({AshaSimulation.Trials} trials × {AshaSimulation.MaxSteps} steps, {AshaSimulation.Workers} workers, {seeds} seeds):");
    Say(string.Empty);
    Say("| Rule | compute used (median of seeds) | saved | seeds where the best completed trial is the overall best | median gap of best final loss |");
    Say("|---|---|---|---|---|");
    var rules = new (string Name, Func<IEarlyStopper> Make)[]
    {
        ("ASHA/Hyperband min_iter 3, eta 3", () => new HyperbandStopper(new HyperbandConfig { MinIter = 3, Eta = 3 }, MetricGoal.Minimize)),
        ("ASHA/Hyperband min_iter 1, eta 3", () => new HyperbandStopper(new HyperbandConfig { MinIter = 1, Eta = 3 }, MetricGoal.Minimize)),
        ("Median stopping, delay 5, 3 trials", () => new MedianStopper(new MedianStoppingConfig { DelayEvaluation = 5, MinTrials = 3 }, MetricGoal.Minimize)),
    };
    foreach (var (name, make) in rules)
    {
        var outcomes = Enumerable.Range(0, seeds).AsParallel().Select(seed => AshaSimulation.Run(make(), seed + 1 + seedOffset)).ToList();
        var used = outcomes.Select(o => (double)o.StepsUsed / o.StepsFull).Order().ToList();
        var same = outcomes.Count(o => o.BestWithRule <= o.BestFull + 1e-12);
        var gaps = outcomes.Select(o => o.BestWithRule - o.BestFull).Order().ToList();
        var medianUsed = used[used.Count / 2];
        Say($"| {name} | {medianUsed:P1} | {1 - medianUsed:P1} | {same}/{seeds} | {gaps[gaps.Count / 2].ToString("0.####", CultureInfo.InvariantCulture)} |");
    }
}

if (perSeedCsv is not null)
{
    File.WriteAllText(Option("--per-seed-csv")!, perSeedCsv.ToString());
}

if (Option("--out") is { } outPath)
{
    File.WriteAllText(outPath, output.ToString());
}
