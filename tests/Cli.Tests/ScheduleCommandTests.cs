using System.Text.Json;

namespace Serverless.Cli.Tests;

[Collection(HostGroup.Name)]
public sealed class ScheduleCommandTests
{
    private readonly HostFixture _host;

    public ScheduleCommandTests(HostFixture host)
    {
        _host = host;
    }

    [Fact]
    public async Task Schedule_ApplyPauseResumeTriggerDelete_AgainstTheRealHost()
    {
        var folder = _host.WritePipeline("timed", """
            name: timed
            parameters:
              greeting: { type: string, default: hi }
            steps:
              say:
                command: echo ${{ params.greeting }}
            schedules:
              - name: yearly
                cron: "0 0 0 1 1 *"
                parameters: { greeting: scheduled }
            """);
        var publish = await CliProcess.RunAsync(_host.Server, "pipeline", "publish", folder);
        Assert.True(publish.ExitCode == 0, publish.ToString());

        var apply = await CliProcess.RunAsync(_host.Server, "schedule", "apply", "timed", "-o", "json");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        string id;
        using (var doc = JsonDocument.Parse(apply.Stdout))
        {
            var schedule = Assert.Single(doc.RootElement.GetProperty("schedules").EnumerateArray());
            id = schedule.GetProperty("id").GetString()!;
            Assert.Equal("yearly", schedule.GetProperty("name").GetString());
            Assert.False(schedule.GetProperty("paused").GetBoolean());
        }

        var list = await CliProcess.RunAsync(_host.Server, "schedule", "list", "--pipeline", "timed");
        var pause = await CliProcess.RunAsync(_host.Server, "schedule", "pause", id, "-o", "json");
        var shown = await CliProcess.RunAsync(_host.Server, "schedule", "show", id);
        var resume = await CliProcess.RunAsync(_host.Server, "schedule", "resume", id);
        var resumed = await CliProcess.RunAsync(_host.Server, "schedule", "show", id);
        var trigger = await CliProcess.RunAsync(_host.Server, "schedule", "trigger", id);
        var runId = trigger.Stdout.Trim();
        var wait = await CliProcess.RunAsync(_host.Server, "run", "wait", runId, "--timeout", "120");
        var logs = await CliProcess.RunAsync(_host.Server, "logs", runId, "say");
        var delete = await CliProcess.RunAsync(_host.Server, "schedule", "delete", id);
        var gone = await CliProcess.RunAsync(_host.Server, "schedule", "show", id);

        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(id)}\s+timed\s+yearly\s+0 0 0 1 1 \*", list.Stdout);
        using (var doc = JsonDocument.Parse(pause.Stdout))
        {
            Assert.True(doc.RootElement.GetProperty("paused").GetBoolean());
        }

        Assert.Matches(@"Paused:\s+true", shown.Stdout);
        // A paused schedule has no next occurrences; resumed, the yearly cron's next one is a 1 January.
        Assert.Matches(@"(?m)^Next:\s*$", shown.Stdout);
        Assert.Matches(@"Paused:\s+false", resumed.Stdout);
        Assert.Matches(@"Next:\s+\d{4}-01-01 ", resumed.Stdout);
        Assert.Equal($"schedule {id} resumed\n", resume.Stdout);
        Assert.True(trigger.ExitCode == 0 && runId.Length > 0, trigger.ToString());
        Assert.True(wait.ExitCode == 0, wait.ToString());
        Assert.Equal("scheduled\n", logs.Stdout);
        Assert.Equal($"schedule {id} deleted\n", delete.Stdout);
        Assert.Equal(1, gone.ExitCode);
        Assert.StartsWith("smlops: error: NOT_FOUND: ", gone.Stderr, StringComparison.Ordinal);
    }
}
