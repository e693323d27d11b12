using System.Text.Json;

namespace Serverless.Orchestration.Tests;

/// <summary>
/// Replays histories recorded from real runs (Histories/*.json) through the executor: the same code
/// must reproduce them exactly, and changed code must be reported as non-deterministic with the
/// event and position where it diverges.
/// </summary>
public sealed class ReplayTests
{
    /// <summary>
    /// Version 1 is the code the histories were recorded with. Version 2 inserts a step before
    /// "Train"; version 3 renames "Evaluate"; version 4 waits for the event under a new name.
    /// </summary>
    internal static OrchestrationRegistry Registry(int version) => new OrchestrationRegistry()
        .AddActivity<string, string>("Prepare", x => $"prepared {x}")
        .AddActivity<string, string>("Train", x => $"model({x})")
        .AddActivity<string, string>("Evaluate", x => $"score({x})")
        .AddActivity<string, string>("Validate", x => x!)
        .AddOrchestrator<string[], string>("Replay.Pipeline", async (ctx, items) =>
        {
            var prepared = await Task.WhenAll(items!.Select(i => ctx.CallActivityAsync<string>("Prepare", i)));
            if (version == 2)
            {
                await ctx.CallActivityAsync<string>("Validate", "extra step");
            }

            var model = await ctx.CallActivityAsync<string>("Train", string.Join(",", prepared));
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(10));
            return await ctx.CallActivityAsync<string>(version == 3 ? "Score" : "Evaluate", model) ?? string.Empty;
        })
        .AddOrchestrator<string, string>("Replay.Approval", async (ctx, request) =>
        {
            ctx.SetCustomStatus("waiting");
            var answer = await ctx.WaitForExternalEvent<string>(version == 4 ? "Approved" : "Approve", TimeSpan.FromHours(1));
            return $"{request}:{answer}";
        });

    private static List<HistoryEvent> Load(string file) =>
        JsonSerializer.Deserialize<List<HistoryEvent>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Histories", file)), DataConverter.Options)!;

    private static ExecutionResult Replay(int version, string orchestrator, List<HistoryEvent> history)
    {
        Assert.True(Registry(version).TryGetOrchestrator(orchestrator, out var code));
        var start = history.First(e => e.Type == EventType.ExecutionStarted);
        // Replay everything except the completion event, as the last episode saw it, then the final episode.
        var last = history.FindLastIndex(e => e.Type == EventType.OrchestratorStarted);
        var past = history.Take(last).ToList();
        var episode = history.Skip(last).Where(e => e.Type is EventType.OrchestratorStarted or EventType.TaskCompleted or EventType.TimerFired or EventType.EventRaised).ToList();
        return OrchestrationExecutor.Execute(code, "replay", start.ExecutionId ?? "exec", past, episode);
    }

    [Theory]
    [InlineData("pipeline.v1.json", "Replay.Pipeline", "\"score(model(prepared a,prepared b,prepared c))\"")]
    [InlineData("approval.v1.json", "Replay.Approval", "\"req-42:yes\"")]
    public void Replay_SameCode_ReproducesRecordedOutcome(string file, string orchestrator, string expectedOutput)
    {
        var history = Load(file);

        var result = Replay(1, orchestrator, history);

        Assert.Equal(OrchestrationStatus.Completed, result.Status);
        Assert.Equal(expectedOutput, result.Output);
        var recorded = history.Last(e => e.Type == EventType.ExecutionCompleted);
        Assert.Equal(recorded.Result, result.Output);
        // No action beyond those recorded: the completion is the only new event.
        Assert.Equal([EventType.ExecutionCompleted], result.NewEvents.Select(e => e.Type));
    }

    [Fact]
    public void Replay_InsertedActivity_FailsNamingEventAndPosition()
    {
        var history = Load("pipeline.v1.json");
        var trainScheduled = history.FindIndex(e => e.Type == EventType.TaskScheduled && e.Name == "Train");

        var result = Replay(2, "Replay.Pipeline", history);

        Assert.Equal(OrchestrationStatus.Failed, result.Status);
        Assert.Equal("NonDeterminism", result.Failure!.ErrorType);
        Assert.Contains($"history event #{trainScheduled} (TaskScheduled 'Train'", result.Failure.Message);
        Assert.Contains("Validate", result.Failure.Message);
    }

    [Fact]
    public void Replay_RenamedActivity_FailsNamingEventAndPosition()
    {
        var history = Load("pipeline.v1.json");
        var evaluate = history.FindIndex(e => e.Type == EventType.TaskScheduled && e.Name == "Evaluate");

        var result = Replay(3, "Replay.Pipeline", history);

        Assert.Equal("NonDeterminism", result.Failure!.ErrorType);
        Assert.Contains($"history event #{evaluate} (TaskScheduled 'Evaluate'", result.Failure.Message);
        Assert.Contains("'Score'", result.Failure.Message);
    }

    [Fact]
    public void Replay_EventRenamed_DoesNotCompleteSilently()
    {
        // A renamed event is not an action, so it cannot be detected at its position; the instance
        // must then keep waiting (the recorded event is buffered), never complete with the wrong data.
        var history = Load("approval.v1.json");

        var result = Replay(4, "Replay.Approval", history);

        Assert.Equal(OrchestrationStatus.Running, result.Status);
        Assert.Null(result.Output);
    }

    [Fact]
    public void Replay_RecordedHistory_IsDeterministicAcrossRuns()
    {
        var history = Load("pipeline.v1.json");

        var a = Replay(1, "Replay.Pipeline", history);
        var b = Replay(1, "Replay.Pipeline", history);

        Assert.Equal(JsonSerializer.Serialize(a.NewEvents, DataConverter.Options), JsonSerializer.Serialize(b.NewEvents, DataConverter.Options));
    }
}
