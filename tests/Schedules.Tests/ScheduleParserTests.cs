using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Parsing;
using Serverless.Schedules.Definition;

namespace Serverless.Schedules.Tests;

public class ScheduleParserTests
{
    private const string Head = """
        name: churn
        parameters:
          lr: {type: number, default: 0.1}
          epochs: {type: int, default: 3}
          region: {type: string, default: eu}
        steps:
          train:
            command: echo hi
        """;

    private static ScheduleParseResult Parse(string schedules)
    {
        var yaml = Head + "\n" + schedules;
        var definition = PipelineParser.Parse(yaml, "p.yaml").Definition ?? ParseIgnoringSchedules(yaml);
        return ScheduleParser.Parse(yaml, "p.yaml", definition);
    }

    // The hook may be registered by another test; read the pipeline itself without it failing on schedules.
    private static PipelineDefinition ParseIgnoringSchedules(string yaml) =>
        PipelineParser.Parse(Head, "p.yaml").Definition!;

    [Fact]
    public void Parse_FullSchedule_ReadsEveryField()
    {
        var result = Parse("""
            schedules:
              - name: nightly
                cron: "0 30 2 * * *"
                time_zone: Europe/Berlin
                parameters: {lr: 0.05, epochs: 10, region: us}
                overlap: cancel-previous
                catch_up: {policy: all, window: 6h}
                start: 2026-01-01
                end: 2027-01-01T00:00:00Z
                paused: true
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var s = Assert.Single(result.Schedules);
        Assert.Equal("nightly", s.Name);
        Assert.Equal("0 30 2 * * *", s.Cron);
        Assert.Equal("Europe/Berlin", s.TimeZone);
        Assert.Equal(PipelineValue.FromNumber(0.05), s.Parameters["lr"]);
        Assert.Equal(PipelineValue.FromInt(10), s.Parameters["epochs"]);
        Assert.Equal(PipelineValue.FromString("us"), s.Parameters["region"]);
        Assert.Equal(OverlapPolicy.CancelPrevious, s.Overlap);
        Assert.Equal(new CatchUpPolicy(CatchUpMode.All, TimeSpan.FromHours(6)), s.CatchUp);
        // A date without offset is midnight in the schedule's zone (CET = UTC+1 in January).
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero), s.Start);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), s.End);
        Assert.True(s.Paused);
        Assert.Equal(new SourceMark("p.yaml", 10, 5), s.Mark with { Inline = false });
    }

    [Fact]
    public void Parse_Defaults_AreUtcSkipNoCatchUp()
    {
        var s = Assert.Single(Parse("""
            schedules:
              - name: hourly
                cron: "0 * * * *"
            """).Schedules);

        Assert.Equal("UTC", s.TimeZone);
        Assert.Equal(OverlapPolicy.Skip, s.Overlap);
        Assert.Equal(CatchUpMode.None, s.CatchUp.Mode);
        Assert.False(s.Paused);
        Assert.Empty(s.Parameters);
    }

    [Fact]
    public void Parse_Problems_AreReportedTogetherWithLineAndColumn()
    {
        var result = Parse("""
            schedules:
              - name: bad
                cron: "0 0 25 * * *"
                time_zone: Mars/Olympus
                overlap: sometimes
                catch_up: {policy: all, window: forever}
                parameters: {lr: fast, nope: 1}
                colour: blue
              - name: bad
                cron: "* * *"
            """);

        Assert.False(result.IsValid);
        Assert.Empty(result.Schedules);
        var text = string.Join("\n", result.Diagnostics);
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 11 && d.Message.Contains("cron expression '0 0 25 * * *' is invalid", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 12 && d.Message.Contains("unknown time zone 'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 13 && d.Message.Contains("overlap must be skip, queue or cancel-previous", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 14 && d.Message.Contains("catch_up.window must be a positive duration", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 15 && d.Message.Contains("parameter 'lr' is declared number, but the value is 'fast'", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 15 && d.Message.Contains("unknown parameter 'nope'; declared: lr, epochs, region", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 16 && d.Mark.Column == 5 && d.Message.Contains("unknown key 'colour'", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 18 && d.Message.Contains("has 3 field(s); expected 6", StringComparison.Ordinal));
        Assert.All(result.Diagnostics, d => Assert.Equal("p.yaml", d.Mark.File));
        Assert.True(result.Diagnostics.Count >= 8, text);
    }

    [Fact]
    public void Parse_DuplicateNamesAndEndBeforeStart_AreErrors()
    {
        var result = Parse("""
            schedules:
              - name: a
                cron: "0 0 * * *"
                start: 2026-06-01T00:00:00Z
                end: 2026-05-01T00:00:00Z
              - name: b
                cron: "0 0 * * *"
              - name: b
                cron: "0 1 * * *"
            """);

        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 13 && d.Message.Contains("end (2026-05-01", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 16 && d.Message == "duplicate schedule 'b'");
    }

    [Fact]
    public void PipelineParser_WithHook_ReportsScheduleProblemsWithThePipelines()
    {
        ScheduleValidation.Register();
        var yaml = Head.Replace("command: echo hi", "command: echo hi\n    needs: [ghost]", StringComparison.Ordinal) + """

            schedules:
              - name: n
                cron: "0 0 31 2 *"
                time_zone: Nowhere/City
            """;

        var result = PipelineParser.Parse(yaml, "p.yaml");

        Assert.False(result.IsValid);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("ghost", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Mark.Line == 13 && d.Message.Contains("unknown time zone 'Nowhere/City'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    public void DurationText_Parse_ReadsUnits(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("6")]
    [InlineData("six hours")]
    [InlineData("h6")]
    public void DurationText_Parse_RejectsOtherText(string text) => Assert.Null(DurationText.Parse(text));
}
