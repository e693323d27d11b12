using System.Diagnostics;
using Serverless.Orchestration;
using Serverless.Testing;
using Xunit.Abstractions;

namespace Serverless.Host.Tests;

/// <summary>Several host processes on one storage account share the work without forking any history.</summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeHosts_TwoHundredOrchestrationsOfTenActivities_AllCompleteConsistently()
    {
        const int instances = 200;
        const int steps = 10;
        await using var hub = await TestHub.CreateAsync(partitions: 6);
        var hosts = new List<HostProcess>();
        try
        {
            for (var h = 0; h < 3; h++)
            {
                hosts.Add(await HostProcess.StartAsync(hub.HostSettings($"scale-{h}", partitions: 6, visibility: "00:00:15")));
            }

            var watch = Stopwatch.StartNew();
            var ids = new List<string>();
            for (var i = 0; i < instances; i++)
            {
                ids.Add(await hub.Client.StartNewAsync("Samples.Chain", new { steps, record = true }, new StartOrchestrationOptions { InstanceId = $"scale-{i:D3}" }));
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            foreach (var id in ids)
            {
                var state = await hub.Client.WaitForCompletionAsync(id, cts.Token);
                Assert.True(state.RuntimeStatus == OrchestrationStatus.Completed, $"{id} is {state.RuntimeStatus}: {state.Failure}");
            }

            watch.Stop();
            var problems = new List<string>();
            foreach (var id in ids)
            {
                problems.AddRange(await hub.CheckHistoryAsync(id, steps));
            }

            Assert.Empty(problems);
            var executions = await hub.CountExecutionsAsync();
            var duplicates = executions.Values.Sum() - (instances * steps);
            var workers = (await hub.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "scale-", Statuses = [OrchestrationStatus.Running, OrchestrationStatus.Pending] })).Instances;
            Assert.Empty(workers);
            output.WriteLine($"{instances} orchestrations x {steps} activities on 3 hosts in {watch.Elapsed.TotalSeconds:F1} s; duplicate executions: {duplicates}");
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
