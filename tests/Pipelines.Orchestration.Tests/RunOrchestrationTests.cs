using System.Globalization;
using Serverless.Orchestration;
using Serverless.Pipelines.Definition;
using Serverless.Testing;

namespace Serverless.Pipelines.Orchestration.Tests;

/// <summary>The run orchestration on a real engine with real step processes: order, branches, conditions, parallel-for, retries, timeouts.</summary>
public sealed class RunOrchestrationTests : IAsyncLifetime
{
    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync("order");

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Run_DiamondWithParallelBranches_RunsInDependencyOrderAndBranchesOverlap()
    {
        var events = Path.Combine(_h.Scratch, "diamond.log");
        string Mark(string step, double sleep) =>
            $"echo \"start {step} $(date +%s%N)\" >> {events}; sleep {sleep.ToString(CultureInfo.InvariantCulture)}; echo \"end {step} $(date +%s%N)\" >> {events}";
        var yaml = $$$"""
            name: diamond
            steps:
              a:
                command: {{{Mark("a", 0)}}}; echo 7 > ${{ outputs.n }}
                outputs: { n: int }
              b:
                command: {{{Mark("b", 1.5)}}}
                needs: [a]
              c:
                command: {{{Mark("c", 1.5)}}}
                needs: [a]
              d:
                command: {{{Mark("d", 0)}}}; test "${{ steps.a.outputs.n }}" = 7
                needs: [b, c]
            """;

        var (output, progress) = await _h.RunAsync(yaml);

        Assert.Equal(Planning.RunOutcome.Succeeded, output.Outcome);
        Assert.All(progress.Steps, s => Assert.Equal("Succeeded", s.Status));
        var t = ReadEvents(events);
        Assert.True(t[("end", "a")] <= t[("start", "b")] && t[("end", "a")] <= t[("start", "c")], "b and c start after a ends");
        Assert.True(t[("start", "b")] < t[("end", "c")] && t[("start", "c")] < t[("end", "b")], "b and c overlap");
        Assert.True(t[("end", "b")] <= t[("start", "d")] && t[("end", "c")] <= t[("start", "d")], "d starts after b and c end");
        Assert.Equal("7", progress.Steps.Single(s => s.Key == "a").Outputs!["n"]);
    }

    [Theory]
    [InlineData(PipelineRunInput.CurrentRevision)]
    [InlineData(0)]
    public async Task Run_EitherRevision_NamesTheStepsTrackingRunWhileItRunsAndClosesIt(int revision)
    {
        // Revision 0 is the call sequence of runs started before the begin was folded into the local activity;
        // a run in flight across an upgrade replays on it, so it must keep working.
        var started = Path.Combine(_h.Scratch, $"tracked-{revision}.started");
        var go = Path.Combine(_h.Scratch, $"tracked-{revision}.go");
        var yaml = $$$"""
            name: tracked-r{{{revision}}}
            steps:
              wait:
                command: touch {{{started}}}; while [ ! -e {{{go}}} ]; do sleep 0.05; done; echo "$MLFLOW_RUN_ID" > ${{ outputs.seen }}
                outputs: { seen: string }
                cache: false
              after:
                command: "true"
                needs: [wait]
                cache: false
            """;
        var runId = await _h.StartAsync(await _h.PublishAsync(yaml), revision: revision);

        var running = await _h.WaitForProgressAsync(runId, p => p.Steps.Any(s => s.Key == "wait" && s.Status == "Running") && File.Exists(started));
        var trackingRunId = running.Steps.Single(s => s.Key == "wait").TrackingRunId;
        Assert.Equal(StepTrackingRuns.IdFor(runId, "wait"), trackingRunId);
        Assert.Equal("RUNNING", (await _h.Tracking.GetRunAsync(trackingRunId)).Info.Status);
        await File.WriteAllTextAsync(go, "go");
        var (output, progress) = await _h.WaitAsync(runId);

        Assert.Equal(Planning.RunOutcome.Succeeded, output.Outcome);
        var wait = progress.Steps.Single(s => s.Key == "wait");
        Assert.Equal(trackingRunId, wait.TrackingRunId);
        Assert.Equal(trackingRunId, wait.Outputs!["seen"]);
        Assert.Equal("FINISHED", (await _h.Tracking.GetRunAsync(trackingRunId)).Info.Status);
        Assert.Equal(StepTrackingRuns.IdFor(runId, "after"), progress.Steps.Single(s => s.Key == "after").TrackingRunId);
        var called = (await _h.Client.GetHistoryAsync(runId))!.Select(e => e.Name).Where(n => n is not null).ToHashSet();
        Assert.Equal(revision >= 1, called.Contains(PipelineRunNames.BeginLocalStep));
        Assert.Equal(revision == 0, called.Contains(PipelineRunNames.BeginStep));
    }

    [Fact]
    public async Task Run_FoldedBeginFails_RetryRunsUntracked_AndTheRunHoldingTheIdIsLeftAlone()
    {
        // The begin creates the step's child run under its derived id. Another experiment already holds that id,
        // so the create is refused and the folded begin fails as a whole: the child run was never made, and the
        // retry must not point its MLflow client at the id (it would log into someone else's run).
        var yaml = """
            name: begin-fails
            steps:
              step:
                command: echo "run=$MLFLOW_RUN_ID" > ${{ outputs.seen }}
                outputs: { seen: string }
                retries: { max_attempts: 2, backoff: { initial: 1s } }
                cache: false
            """;
        var runId = TestNames.Unique("run");
        var derived = StepTrackingRuns.IdFor(runId, "step");
        await _h.Tracking.Store.InitializeAsync();
        var squatter = await _h.Tracking.CreateExperimentAsync(TestNames.Unique("squatter"));
        await _h.Tracking.CreateRunAsync(squatter, runName: "squatter", runId: derived);

        await _h.StartAsync(await _h.PublishAsync(yaml), runId: runId);
        var (output, progress) = await _h.WaitAsync(runId);

        Assert.Equal(Planning.RunOutcome.Succeeded, output.Outcome);
        var step = progress.Steps.Single(s => s.Key == "step");
        Assert.Equal(2, step.Attempt);
        Assert.Null(step.TrackingRunId);
        Assert.Equal("run=", step.Outputs!["seen"]);
        var held = await _h.Tracking.GetRunAsync(derived);
        Assert.Equal(squatter, held.Info.ExperimentId);
        Assert.Equal("squatter", held.Info.RunName);
        Assert.Equal("RUNNING", held.Info.Status);
        var called = (await _h.Client.GetHistoryAsync(runId))!.Where(e => e.Type == EventType.TaskScheduled).Select(e => e.Name).ToList();
        Assert.Equal(1, called.Count(n => n == PipelineRunNames.BeginLocalStep));
        Assert.Equal(1, called.Count(n => n == PipelineRunNames.LocalStep));
    }

    [Fact]
    public async Task Run_FalseCondition_SkipsStepAndItsDependentsAndSucceeds()
    {
        var yaml = """
            name: when-skip
            parameters:
              enabled: { type: bool, default: false }
            steps:
              first:
                command: "true"
              gated:
                when: params.enabled
                command: exit 3
                needs: [first]
              after:
                command: exit 4
                needs: [gated]
            """;

        var (output, progress) = await _h.RunAsync(yaml);

        Assert.Equal(Planning.RunOutcome.Succeeded, output.Outcome);
        Assert.Equal("Succeeded", progress.Steps.Single(s => s.Key == "first").Status);
        Assert.Equal("Skipped", progress.Steps.Single(s => s.Key == "gated").Status);
        Assert.Equal("Skipped", progress.Steps.Single(s => s.Key == "after").Status);
    }

    [Fact]
    public async Task Run_ForEachWithConcurrencyTwo_RunsEveryItemAtMostTwoAtOnce()
    {
        var events = Path.Combine(_h.Scratch, "foreach.log");
        var yaml = $$$"""
            name: fan
            steps:
              work:
                command: echo "start ${{ item }} $(date +%s%N)" >> {{{events}}}; sleep 1; echo "end ${{ item }} $(date +%s%N)" >> {{{events}}}; echo $(( ${{ item }} * 10 )) > ${{ outputs.v }}
                foreach:
                  items: [1, 2, 3, 4]
                  concurrency: 2
                outputs: { v: int }
              sum:
                command: test '${{ steps.work.outputs.v }}' = '[10,20,30,40]'
            """;

        var (output, progress) = await _h.RunAsync(yaml);

        Assert.True(output.Outcome == Planning.RunOutcome.Succeeded, output.Reason);
        Assert.Equal(4, progress.Steps.Count(s => s.Key.StartsWith("work[", StringComparison.Ordinal) && s.Status == "Succeeded"));
        var t = ReadEvents(events);
        var marks = t.Select(kv => (kv.Value, Delta: kv.Key.Kind == "start" ? 1 : -1)).OrderBy(m => m.Value).ThenBy(m => m.Delta);
        var running = 0;
        var peak = 0;
        foreach (var (_, delta) in marks)
        {
            running += delta;
            peak = Math.Max(peak, running);
        }

        Assert.Equal(2, peak);
    }

    [Fact]
    public async Task Run_StepFailsTwiceThenSucceeds_RetriesWithBackoffAndSucceedsOnThirdAttempt()
    {
        var counter = Path.Combine(_h.Scratch, "flaky.count");
        var events = Path.Combine(_h.Scratch, "flaky.log");
        var yaml = $$$"""
            name: flaky
            steps:
              flaky:
                command: echo "$SERVERLESS_ATTEMPT $(date +%s%N)" >> {{{events}}}; echo x >> {{{counter}}}; test $(wc -l < {{{counter}}}) -ge 3
                retries: { max_attempts: 3, backoff: { initial: 1s, multiplier: 2 } }
            """;

        var (output, progress) = await _h.RunAsync(yaml);

        Assert.Equal(Planning.RunOutcome.Succeeded, output.Outcome);
        var step = progress.Steps.Single();
        Assert.Equal("Succeeded", step.Status);
        Assert.Equal(3, step.Attempt);
        var starts = File.ReadAllLines(events).Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture) / 1_000_000.0).ToArray();
        Assert.Equal(3, starts.Length);
        Assert.True(starts[1] - starts[0] >= 1000, $"first backoff was {starts[1] - starts[0]} ms, expected >= 1 s");
        Assert.True(starts[2] - starts[1] >= 2000, $"second backoff was {starts[2] - starts[1]} ms, expected >= 2 s");
    }

    [Fact]
    public async Task Run_StepExceedsTimeout_FailsAsTimedOutWithoutWaitingForTheCommand()
    {
        var yaml = """
            name: slow
            steps:
              slow:
                command: sleep 60
                timeout: 1s
              never:
                command: "true"
                needs: [slow]
            """;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (output, progress) = await _h.RunAsync(yaml);

        Assert.Equal(Planning.RunOutcome.Failed, output.Outcome);
        var slow = progress.Steps.Single(s => s.Key == "slow");
        Assert.Equal("Failed", slow.Status);
        Assert.Contains("timeout", slow.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Skipped", progress.Steps.Single(s => s.Key == "never").Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Run_BadValueOutput_FailsNamingTheOutput()
    {
        var yaml = """
            name: bad-output
            steps:
              s:
                command: echo not-a-number > ${{ outputs.n }}
                outputs: { n: int }
            """;

        var (output, progress) = await _h.RunAsync(yaml, new Dictionary<string, PipelineValue>());

        Assert.Equal(Planning.RunOutcome.Failed, output.Outcome);
        Assert.Contains("'n'", progress.Steps.Single().Reason, StringComparison.Ordinal);
    }

    internal static Dictionary<(string Kind, string Step), double> ReadEvents(string path) =>
        File.ReadAllLines(path).Select(l => l.Split(' ')).ToDictionary(
            p => (p[0], p[1]), p => long.Parse(p[2], CultureInfo.InvariantCulture) / 1_000_000.0);
}
