using Serverless.Orchestration;
using Serverless.Testing;
using Xunit.Abstractions;

namespace Serverless.Host.Tests;

/// <summary>
/// The host is killed with SIGKILL at varied points while orchestrations run, then restarted; every
/// instance must still complete once, with a consistent history. Duplicate activity executions
/// (allowed: activities are at-least-once) are counted and reported.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KilledRepeatedly_EveryInstanceCompletesWithConsistentHistory()
    {
        const int instances = 12;
        const int steps = 15;
        await using var hub = await TestHub.CreateAsync();
        var ids = new List<string>();
        for (var i = 0; i < instances; i++)
        {
            ids.Add(await hub.Client.StartNewAsync("Samples.Chain", new { steps, record = true, delayMs = 30 }, new StartOrchestrationOptions { InstanceId = $"crash-{i:D2}" }));
        }

        // Kill points spread over the run: early (starts in flight), middle, late.
        var killAfterMs = new[] { 700, 1300, 450, 2100, 900 };
        foreach (var delay in killAfterMs)
        {
            await using var host = await HostProcess.StartAsync(hub.HostSettings("crash-worker"));
            await Task.Delay(delay);
            host.Kill();
            var completed = await CountCompletedAsync(hub, ids);
            output.WriteLine($"killed pid {host.Pid} after {delay} ms; {completed}/{instances} instances complete");
        }

        await using (var final = await HostProcess.StartAsync(hub.HostSettings("crash-worker")))
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            foreach (var id in ids)
            {
                var state = await hub.Client.WaitForCompletionAsync(id, cts.Token);
                Assert.True(state.RuntimeStatus == OrchestrationStatus.Completed, $"{id} is {state.RuntimeStatus}: {state.Failure}\n{final.Output}");
                Assert.Equal(steps, state.ReadOutputAs<int>());
            }
        }

        var problems = new List<string>();
        foreach (var id in ids)
        {
            problems.AddRange(await hub.CheckHistoryAsync(id, steps));
        }

        Assert.Empty(problems);
        var executions = await hub.CountExecutionsAsync();
        for (var i = 0; i < instances; i++)
        {
            for (var s = 0; s < steps; s++)
            {
                Assert.True(executions.GetValueOrDefault(($"crash-{i:D2}", s)) >= 1, $"crash-{i:D2} step {s} never executed");
            }
        }

        var total = executions.Values.Sum();
        var duplicates = total - (instances * steps);
        output.WriteLine($"activity executions: {total} for {instances * steps} steps; duplicates: {duplicates} ({100.0 * duplicates / (instances * steps):F1} %) over {killAfterMs.Length} kills");
    }

    [Fact]
    public async Task ActivityThatKillsTheHost_BecomesPoisonAndFailsTheInstance()
    {
        await using var hub = await TestHub.CreateAsync();
        var settings = hub.HostSettings("poison-worker", faultInjection: true, maxDequeue: 2);
        var id = await hub.Client.StartNewAsync("Samples.CallCrash");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var crashes = 0;
        OrchestrationMetadata? state = null;
        while (state is null || !state.RuntimeStatus.IsTerminal())
        {
            HostProcess host;
            try
            {
                host = await HostProcess.StartAsync(settings);
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("host exited", StringComparison.Ordinal))
            {
                // The crashing activity can run before the host answers its first health check.
                crashes++;
                state = await hub.Client.GetInstanceAsync(id, cancellationToken: cts.Token);
                continue;
            }

            await using (host)
            {
                while (!host.HasExited && !cts.IsCancellationRequested)
                {
                    state = await hub.Client.GetInstanceAsync(id, cancellationToken: cts.Token);
                    if (state!.RuntimeStatus.IsTerminal())
                    {
                        break;
                    }

                    await Task.Delay(200, cts.Token);
                }

                if (host.HasExited)
                {
                    crashes++;
                }
            }

            state = await hub.Client.GetInstanceAsync(id, cancellationToken: cts.Token);
        }

        output.WriteLine($"host crashed {crashes} times before the message was set aside");
        Assert.Equal(OrchestrationStatus.Failed, state.RuntimeStatus);
        Assert.Contains("PoisonMessage", state.Failure!.Message + state.Failure.ErrorType + state.Failure.Inner?.ErrorType);
        Assert.InRange(crashes, 2, 3);
        var poison = await hub.Client.GetPoisonMessagesAsync(id);
        // Which message is blamed depends on timing: the activity call itself, the orchestration message
        // whose delete had not happened when the fast activity killed the host, or both when their delivery
        // counts reach the limit in the same restart. Each is this instance's and says how often it came.
        Assert.InRange(poison.Count, 1, 2);
        Assert.All(poison, blamed =>
        {
            Assert.Equal(id, blamed.InstanceId);
            Assert.Contains(id, blamed.Message);
            Assert.Contains("times", blamed.Reason);
        });
        Assert.Equal(poison.Count, poison.Select(p => p.Queue).Distinct().Count());
    }

    private static async Task<int> CountCompletedAsync(TestHub hub, List<string> ids)
    {
        var n = 0;
        foreach (var id in ids)
        {
            if ((await hub.Client.GetInstanceAsync(id, false))?.RuntimeStatus == OrchestrationStatus.Completed)
            {
                n++;
            }
        }

        return n;
    }
}
