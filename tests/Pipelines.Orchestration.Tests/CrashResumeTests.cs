namespace Serverless.Pipelines.Orchestration.Tests;

/// <summary>A host killed with SIGKILL while a step runs: a new host finishes the run without repeating finished steps.</summary>
public sealed class CrashResumeTests
{
    [Fact]
    public async Task HostKilledDuringMiddleStep_NewHostCompletesRun_FirstStepRunsOnce()
    {
        // Short visibilities so the messages the dead host held reappear within seconds, and the same worker id so
        // the new host takes the partition leases over at once.
        await using var api = await HostApi.StartAsync("crash", extra: new Dictionary<string, string>
        {
            ["Serverless:Orchestration:ControlMessageVisibility"] = "00:00:05",
            ["Serverless:Orchestration:ActivityMessageVisibility"] = "00:00:10",
        });
        var counts = Path.Combine(api.Scratch, "counts");
        Directory.CreateDirectory(counts);
        api.WritePipeline("crash", $$$"""
            name: crash
            steps:
              first:
                command: echo run >> {{{counts}}}/first; echo 1 > ${{ outputs.n }}
                outputs: { n: int }
              middle:
                command: echo run >> {{{counts}}}/middle; sleep 6; echo $(( ${{ steps.first.outputs.n }} + 1 )) > ${{ outputs.n }}
                outputs: { n: int }
              last:
                command: echo run >> {{{counts}}}/last; test ${{ steps.middle.outputs.n }} = 2
            """);

        var runId = await api.StartRunAsync("crash");
        await api.WaitForRunAsync(runId, until: r => HostApi.StatusOf(r, "middle") == "Running" && File.Exists(Path.Combine(counts, "middle")));
        api.Host.Kill();
        await api.RestartAsync();
        var run = await api.WaitForRunAsync(runId, 240);

        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(counts, "first")));
        Assert.Equal(2, (await File.ReadAllLinesAsync(Path.Combine(counts, "middle"))).Length);
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(counts, "last")));
        Assert.Equal("2", HostApi.Step(run, "middle").GetProperty("outputs").GetProperty("n").GetString());
    }
}
