using System.Globalization;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Orchestration.Tests;

/// <summary>Cancelling a run kills its process trees; cached steps do not run again; re-runs reuse succeeded steps.</summary>
public sealed class CancelCacheRerunTests : IAsyncLifetime
{
    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync("cancel");

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Cancel_WhileStepRuns_KillsItsProcessTreeAndEndsCancelled()
    {
        var pidFile = Path.Combine(_h.Scratch, "grandchild.pid");
        var yaml = $$$"""
            name: cancel-me
            steps:
              long:
                command: sh -c 'sleep 300 & echo $! > {{{pidFile}}}; wait'
              after:
                command: "true"
                needs: [long]
            """;
        var runId = await _h.StartAsync(await _h.PublishAsync(yaml));
        await _h.WaitForProgressAsync(runId, p => p.Steps.Any(s => s.Key == "long" && s.Status == "Running") && File.Exists(pidFile));
        var grandchild = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
        Assert.True(Alive(grandchild));

        await _h.Client.RaiseEventAsync(runId, PipelineRunNames.CancelEvent);
        var (output, progress) = await _h.WaitAsync(runId, 30);

        Assert.Equal(RunOutcome.Cancelled, output.Outcome);
        Assert.Equal("Cancelled", progress.Steps.Single(s => s.Key == "long").Status);
        Assert.NotEqual("Succeeded", progress.Steps.Single(s => s.Key == "after").Status);
        Assert.True(progress.CancelRequested);
        Assert.False(Alive(grandchild), $"the step's grandchild {grandchild} survived the cancel");
    }

    [Fact]
    public async Task SecondRun_SameInputs_ShowsCachedAndDoesNotRunTheStep()
    {
        var counter = Path.Combine(_h.Scratch, "cached.count");
        var yaml = $$$"""
            name: cache-me
            steps:
              produce:
                command: echo x >> {{{counter}}}; echo 42 > ${{ outputs.answer }}; echo data > ${{ outputs.blob }}
                outputs: { answer: int, blob: artifact }
              consume:
                command: test "$(cat ${{ inputs.b }})" = data && test ${{ steps.produce.outputs.answer }} = 42 && echo x >> {{{counter}}}.2
                inputs: { b: "${{ steps.produce.outputs.blob }}" }
            """;
        var package = await _h.PublishAsync(yaml);

        var (first, _) = await _h.WaitAsync(await _h.StartAsync(package));
        var (second, progress) = await _h.WaitAsync(await _h.StartAsync(package));

        Assert.Equal(RunOutcome.Succeeded, first.Outcome);
        Assert.Equal(RunOutcome.Succeeded, second.Outcome);
        Assert.Equal("Cached", progress.Steps.Single(s => s.Key == "produce").Status);
        Assert.Equal("Cached", progress.Steps.Single(s => s.Key == "consume").Status);
        Assert.Equal("42", progress.Steps.Single(s => s.Key == "produce").Outputs!["answer"]);
        Assert.Single(await File.ReadAllLinesAsync(counter));
        Assert.Single(await File.ReadAllLinesAsync(counter + ".2"));
    }

    [Fact]
    public async Task Run_WithCacheOff_RunsEveryStepAgainAndRecordsTheFreshResultForLaterRuns()
    {
        var counter = Path.Combine(_h.Scratch, "nocache.count");
        var yaml = $$$"""
            name: no-cache-run
            steps:
              produce:
                command: echo x >> {{{counter}}}; echo $(wc -l < {{{counter}}}) > ${{ outputs.n }}
                outputs: { n: int }
            """;
        var package = await _h.PublishAsync(yaml);

        var (first, _) = await _h.WaitAsync(await _h.StartAsync(package));
        var (forced, forcedProgress) = await _h.WaitAsync(await _h.StartAsync(package, cache: false));
        var (third, thirdProgress) = await _h.WaitAsync(await _h.StartAsync(package));

        Assert.Equal(RunOutcome.Succeeded, first.Outcome);
        Assert.Equal(RunOutcome.Succeeded, forced.Outcome);
        Assert.Equal("Succeeded", forcedProgress.Steps.Single().Status);
        Assert.Equal("2", forcedProgress.Steps.Single().Outputs!["n"]);
        Assert.Equal(2, (await File.ReadAllLinesAsync(counter)).Length);
        // The forced run's own result is the one a later run reuses.
        Assert.Equal(RunOutcome.Succeeded, third.Outcome);
        Assert.Equal("Cached", thirdProgress.Steps.Single().Status);
        Assert.Equal("2", thirdProgress.Steps.Single().Outputs!["n"]);
        Assert.Equal(2, (await File.ReadAllLinesAsync(counter)).Length);
    }

    [Fact]
    public async Task Rerun_FailedWithReuse_RunsOnlyTheFailedStepAndReusesTheOthersOutputs()
    {
        var counter = Path.Combine(_h.Scratch, "rerun.count");
        var flag = Path.Combine(_h.Scratch, "rerun.broken");
        await File.WriteAllTextAsync(flag, "broken");
        var yaml = $$$"""
            name: rerun
            steps:
              first:
                command: echo x >> {{{counter}}}; echo 5 > ${{ outputs.n }}
                outputs: { n: int }
                cache: false
              second:
                command: test ! -e {{{flag}}} && test ${{ steps.first.outputs.n }} = 5
                cache: false
            """;
        var package = await _h.PublishAsync(yaml);
        var firstRun = await _h.StartAsync(package);
        var (failed, _) = await _h.WaitAsync(firstRun);
        Assert.Equal(RunOutcome.Failed, failed.Outcome);
        File.Delete(flag);

        var reuse = failed.Results.Where(r => r.Value.Status is StepStatus.Succeeded or StepStatus.Cached).ToDictionary(r => r.Key, r => r.Value);
        var (rerun, progress) = await _h.WaitAsync(await _h.StartAsync(package, reuse: reuse, rerunOf: firstRun));

        Assert.Equal(RunOutcome.Succeeded, rerun.Outcome);
        Assert.Equal("Cached", progress.Steps.Single(s => s.Key == "first").Status);
        Assert.Contains(firstRun, progress.Steps.Single(s => s.Key == "first").Reason, StringComparison.Ordinal);
        Assert.Equal("Succeeded", progress.Steps.Single(s => s.Key == "second").Status);
        Assert.Single(await File.ReadAllLinesAsync(counter));
    }

    private static bool Alive(int pid)
    {
        // A zombie still has a /proc entry; only a process that is not dead counts as alive.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
