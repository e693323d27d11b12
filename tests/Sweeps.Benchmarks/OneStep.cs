using System.Globalization;
using System.Text;

namespace Serverless.Sweeps.Benchmarks;

/// <summary>
/// Our side of the one-step fidelity check (see one_step_optuna.py): reads the histories Optuna 3.1.0 recorded
/// and writes many next suggestions of our default TPE on each, one sampler seed per draw, in the layout the
/// comparison reads ("history draw x0 x1 ...").
/// </summary>
internal static class OneStep
{
    public static int Run(TestFunction function, string directory, int draws, long drawSeedBase = 1_000_000)
    {
        var historyPath = Path.Combine(directory, "histories.txt");
        if (!File.Exists(historyPath))
        {
            Console.Error.WriteLine($"{historyPath}: not found; record it first with one_step_optuna.py record {function.Name} {directory}");
            return 2;
        }

        var histories = new SortedDictionary<int, SweepState>();
        foreach (var line in File.ReadLines(historyPath))
        {
            // "history trial x0 x1 ... value"
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var id = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var xs = parts[2..^1].Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            if (xs.Length != function.Dimensions)
            {
                throw new InvalidDataException($"histories.txt: history {id} has {xs.Length} parameters, {function.Name} has {function.Dimensions}");
            }

            var state = histories.GetValueOrDefault(id, SweepState.Empty);
            var parameters = new ParameterSet(xs.Select((x, i) => new KeyValuePair<string, object?>($"x{i}", x)));
            var value = double.Parse(parts[^1], CultureInfo.InvariantCulture);
            histories[id] = state.With(new TrialRecord(state.Trials.Count, parameters, TrialStatus.Completed, value));
        }

        var output = new StringBuilder();
        foreach (var (id, state) in histories)
        {
            var rows = new string[draws];
            Parallel.For(0, draws, draw =>
            {
                var sampler = new TpeSampler(function.Config(drawSeedBase + draw) with { Method = SweepMethod.Bayes });
                var next = sampler.Suggest(state, 1)[0];
                var xs = Enumerable.Range(0, function.Dimensions).Select(i => next.GetDouble($"x{i}").ToString("R", CultureInfo.InvariantCulture));
                rows[draw] = $"{id} {draw} {string.Join(' ', xs)}";
            });
            foreach (var row in rows)
            {
                output.AppendLine(row);
            }
        }

        File.WriteAllText(Path.Combine(directory, "ours.txt"), output.ToString());
        Console.WriteLine($"{histories.Count} histories, {draws} draws each: {Path.Combine(directory, "ours.txt")}");
        return 0;
    }
}
