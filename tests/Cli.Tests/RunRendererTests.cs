using System.Text.Json.Nodes;
using Serverless.Cli.Output;
using Serverless.Cli.Runs;

namespace Serverless.Cli.Tests;

public class RunRendererTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static RunView Run(string status, params (string Key, string Status, int Attempt, double? Duration, string? Reason)[] steps)
    {
        var json = new JsonObject
        {
            ["id"] = "r1",
            ["pipeline"] = "demo",
            ["version"] = "abc",
            ["status"] = status,
            ["createdAt"] = "2026-11-23T11:59:00Z",
            ["parameters"] = new JsonObject { ["lr"] = 0.1 },
            ["unknownFutureField"] = "ignored",
            ["steps"] = new JsonArray(steps.Select(s => (JsonNode)new JsonObject
            {
                ["key"] = s.Key,
                ["status"] = s.Status,
                ["attempt"] = s.Attempt,
                ["startedAt"] = "2026-11-23T11:59:30Z",
                ["duration"] = s.Duration,
                ["reason"] = s.Reason,
                ["compute"] = "local",
                ["outputs"] = new JsonObject { ["n"] = 5 },
            }).ToArray()),
        };
        return RunView.From(json);
    }

    [Fact]
    public void StepRows_RunJson_OneRowPerStepWithDurations()
    {
        var run = Run("Running", ("prep", "Succeeded", 1, 2.5, null), ("train[0]", "Running", 2, null, null), ("eval", "Pending", 0, null, null));

        var rows = RunRenderer.StepRows(run, s_now);

        Assert.Equal(["prep", "Succeeded", "1", "2.5s", "local", ""], rows[0]);
        Assert.Equal(["train[0]", "Running", "2", "30.0s", "local", ""], rows[1]);
        Assert.Equal(["eval", "Pending", "", "", "local", ""], rows[2]);
    }

    [Fact]
    public void Details_RenderedToText_ShowsHeaderAndStepTable()
    {
        var run = Run("Failed", ("prep", "Succeeded", 1, 75, null), ("train", "Failed", 3, 0.25, "exit code 2"));
        var stdout = new StringWriter();
        var output = new CliOutput(OutputFormat.Table, stdout, new StringWriter(), interactive: false);

        output.Write(RunRenderer.Details(run, s_now));

        var text = stdout.ToString();
        Assert.Contains("Pipeline:", text, StringComparison.Ordinal);
        Assert.Contains("demo (version abc)", text, StringComparison.Ordinal);
        Assert.Contains("lr=0.1", text, StringComparison.Ordinal);
        var trainLine = text.Split('\n').Single(l => l.Contains("train", StringComparison.Ordinal));
        Assert.Matches(@"train\s+Failed\s+3\s+250ms\s+local\s+exit code 2", trainLine);
        Assert.Matches(@"prep\s+Succeeded\s+1\s+1m 15s", text);
    }

    [Fact]
    public void Transitions_OnlyChangedStepsAndRunStatus()
    {
        var before = Run("Running", ("prep", "Running", 1, null, null), ("train", "Pending", 0, null, null));
        var after = Run("Failed", ("prep", "Succeeded", 1, 3, null), ("train", "Failed", 2, 1, "boom"));

        var first = RunRenderer.Transitions(null, before, s_now);
        var next = RunRenderer.Transitions(before, after, s_now);
        var none = RunRenderer.Transitions(after, after, s_now);

        Assert.Equal(["12:00:00 prep Running", "12:00:00 run r1 Running"], first);
        Assert.Equal(["12:00:00 prep Succeeded in 3.0s", "12:00:00 train Failed (attempt 2) in 1.0s: boom", "12:00:00 run r1 Failed"], next);
        Assert.Empty(none);
    }

    [Theory]
    [InlineData(0.0421, "42ms")]
    [InlineData(59.94, "59.9s")]
    [InlineData(61, "1m 01s")]
    [InlineData(7260, "2h 01m")]
    public void Duration_Seconds_ReadableText(double seconds, string expected)
    {
        Assert.Equal(expected, Formats.Duration(seconds));
    }

    [Fact]
    public void From_SummaryWithNullSteps_HasNoStepsAndRenders()
    {
        var run = RunView.From(JsonNode.Parse("""{"id":"r2","pipeline":"p","status":"Pending","steps":null,"parameters":null}""")!);

        Assert.Empty(run.Steps);
        Assert.Empty(RunRenderer.StepRows(run, s_now));
        Assert.Equal(["12:00:00 run r2 Pending"], RunRenderer.Transitions(null, run, s_now));
    }
}
