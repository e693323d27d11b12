using Serverless.Pipelines.Building;
using Serverless.Pipelines.Definition;
using Serverless.Pipelines.Parsing;
using Serverless.Pipelines.Planning;

namespace Serverless.Pipelines.Tests;

public sealed class PlannerTests
{
    private static PipelinePlanner Planner(string yaml, Dictionary<string, PipelineValue>? parameters = null)
    {
        var definition = PipelineParser.Parse(yaml, "test.yaml").GetDefinitionOrThrow();
        return new PipelinePlanner(definition, ParameterResolver.Resolve(definition, parameters));
    }

    private static string[] ReadyKeys(PipelinePlan plan) => plan.Ready.Select(r => r.Key.ToString()).ToArray();

    private const string Diamond = """
        name: diamond
        steps:
          a: { command: echo a, outputs: { v: int } }
          b: { command: "echo b ${{ steps.a.outputs.v }}", outputs: { v: int } }
          c: { command: echo c, needs: a }
          d: { command: "echo d ${{ steps.b.outputs.v }}", needs: [c] }
        """;

    [Fact]
    public void Plan_Diamond_StartsStepsInDependencyOrderWithBranchesInParallel()
    {
        var planner = Planner(Diamond);
        var state = RunState.Empty;

        var plan = planner.Plan(state);
        Assert.Equal(["a"], ReadyKeys(plan));
        Assert.Equal(StepStatus.Waiting, plan.StatusOf("d"));

        state = state.WithRunning(new("a"));
        Assert.Empty(planner.Plan(state).Ready);

        state = state.WithResult(new("a"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["v"] = PipelineValue.FromInt(7) }));
        plan = planner.Plan(state);
        Assert.Equal(["b", "c"], ReadyKeys(plan));
        Assert.Equal("echo b 7", plan.Ready[0].Command);

        state = state.WithRunning(new("b")).WithRunning(new("c"))
            .WithResult(new("c"), StepResult.Succeeded());
        Assert.Empty(planner.Plan(state).Ready);

        state = state.WithResult(new("b"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["v"] = PipelineValue.FromInt(9) }));
        plan = planner.Plan(state);
        Assert.Equal(["d"], ReadyKeys(plan));
        Assert.Equal("echo d 9", plan.Ready[0].Command);
        Assert.False(plan.IsFinished);

        plan = planner.Plan(state.WithResult(new("d"), StepResult.Succeeded()));
        Assert.True(plan.IsFinished);
        Assert.Equal(RunOutcome.Succeeded, plan.Outcome);
    }

    [Fact]
    public void Plan_FailedStep_BlocksDownstreamButIndependentBranchStillRuns()
    {
        var planner = Planner(Diamond);
        var state = RunState.Empty
            .WithResult(new("a"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["v"] = PipelineValue.FromInt(1) }))
            .WithResult(new("b"), StepResult.Failed("exit code 3"));

        var plan = planner.Plan(state);

        Assert.Equal(["c"], ReadyKeys(plan));
        Assert.Equal(StepStatus.Blocked, plan.StatusOf("d"));
        Assert.False(plan.IsFinished);

        plan = planner.Plan(state.WithResult(new("c"), StepResult.Succeeded()));
        Assert.True(plan.IsFinished);
        Assert.Equal(RunOutcome.Failed, plan.Outcome);
        Assert.Equal("dependency 'b' failed", plan.States.Single(s => s.Key == new StepKey("d")).Reason);
    }

    private const string Gate = """
        name: gate
        parameters:
          threshold: { type: number, default: 0.8 }
        steps:
          evaluate: { command: eval, outputs: { auc: number } }
          gate:
            command: "gate ${{ steps.evaluate.outputs.auc }}"
            outputs: { passed: bool }
          register:
            command: register
            when: steps.gate.outputs.passed and steps.evaluate.outputs.auc >= params.threshold
          notify: { command: notify, needs: [register] }
          report: { command: report, needs: [gate] }
        """;

    [Theory]
    [InlineData(0.9, true, "Ready")]
    [InlineData(0.7, true, "Skipped")]
    [InlineData(0.95, false, "Skipped")]
    public void Plan_WhenCondition_DecidesBetweenRunningAndSkipping(double auc, bool passed, string expected)
    {
        var planner = Planner(Gate);
        var state = RunState.Empty
            .WithResult(new("evaluate"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["auc"] = PipelineValue.FromNumber(auc) }))
            .WithResult(new("gate"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["passed"] = PipelineValue.FromBool(passed) }));

        var plan = planner.Plan(state);

        Assert.Equal(Enum.Parse<StepStatus>(expected), plan.StatusOf("register"));
        Assert.Contains("report", ReadyKeys(plan));
    }

    [Fact]
    public void Plan_SkippedStep_SkipsItsDependentsAndTheRunSucceeds()
    {
        var planner = Planner(Gate);
        var state = RunState.Empty
            .WithResult(new("evaluate"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["auc"] = PipelineValue.FromNumber(0.5) }))
            .WithResult(new("gate"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["passed"] = PipelineValue.False }))
            .WithResult(new("report"), StepResult.Succeeded());

        var plan = planner.Plan(state);

        Assert.Equal(StepStatus.Skipped, plan.StatusOf("notify"));
        Assert.Equal("dependency 'register' was skipped", plan.States.Single(s => s.Key == new StepKey("notify")).Reason);
        Assert.Equal(RunOutcome.Succeeded, plan.Outcome);
    }

    [Fact]
    public void Plan_ConditionOnMissingOutputValue_FailsTheStepWithoutRunningIt()
    {
        var planner = Planner("""
            name: t
            steps:
              a: { command: a, outputs: { n: int } }
              b: { command: b, when: "steps.a.outputs.n > 3" }
            """);
        var state = RunState.Empty.WithResult(new("a"), StepResult.Succeeded());

        var plan = planner.Plan(state);

        Assert.Empty(plan.Ready);
        Assert.Equal(StepStatus.Failed, plan.StatusOf("b"));
        Assert.Equal("step 'a' recorded no value for output 'n'", plan.States.Single(s => s.Key == new StepKey("b")).Reason);
        Assert.Equal(RunOutcome.Failed, plan.Outcome);
    }

    private const string Fan = """
        name: fan
        parameters:
          seeds: { type: list, default: [11, 12, 13, 14, 15] }
        steps:
          train:
            command: "train --seed ${{ item }} --out ${{ outputs.model }}"
            foreach: { items: "${{ params.seeds }}", concurrency: 2 }
            outputs: { model: artifact, auc: number }
          pick:
            command: "pick ${{ steps.train.outputs.auc }}"
            inputs: { models: "${{ steps.train.outputs.model }}" }
        """;

    [Fact]
    public void Plan_ForEach_HonoursConcurrencyAndCollectsOutputsInIterationOrder()
    {
        var planner = Planner(Fan);
        var state = RunState.Empty;

        var plan = planner.Plan(state);
        Assert.Equal(["train[0]", "train[1]"], ReadyKeys(plan));
        Assert.Equal("train --seed 11 --out outputs/model", plan.Ready[0].Command);
        Assert.Equal(PipelineValue.FromInt(12), plan.Ready[1].Item);
        Assert.Equal(StepStatus.Waiting, plan.StatusOf(new StepKey("train", 4)));

        state = state.WithRunning(new("train", 0)).WithRunning(new("train", 1));
        Assert.Empty(planner.Plan(state).Ready);

        // Iterations may finish out of order; the next free slot goes to the lowest pending iteration.
        state = state.WithResult(new("train", 1), Iteration(1));
        Assert.Equal(["train[2]"], ReadyKeys(planner.Plan(state)));

        state = state.WithRunning(new("train", 2));
        foreach (var i in new[] { 0, 2, 3, 4 })
        {
            if (i >= 3)
            {
                state = state.WithRunning(new("train", i));
            }

            state = state.WithResult(new("train", i), Iteration(i));
        }

        plan = planner.Plan(state);
        Assert.Equal(StepStatus.Succeeded, plan.StatusOf("train"));
        var pick = Assert.Single(plan.Ready);
        Assert.Equal("pick [0.5,0.51,0.52,0.53,0.54]", pick.Command);
        var models = Assert.Single(pick.Inputs);
        Assert.True(models.Collected);
        Assert.Equal(["blob:a/m0", "blob:a/m1", "blob:a/m2", "blob:a/m3", "blob:a/m4"], models.Artifacts.Select(a => a.Uri));

        static StepResult Iteration(int i) => StepResult.Succeeded(
            new Dictionary<string, ArtifactRef> { ["model"] = new($"blob:a/m{i}", "sha256:" + i) },
            new Dictionary<string, PipelineValue> { ["auc"] = PipelineValue.FromNumber(0.5 + (i / 100.0)) });
    }

    [Fact]
    public void Plan_ForEachIterationFails_StepFailsAfterRunningIterationsFinish()
    {
        var planner = Planner(Fan);
        var state = RunState.Empty.WithRunning(new("train", 1)).WithResult(new("train", 0), StepResult.Failed("boom"));

        var plan = planner.Plan(state);

        // The failed iteration does not stop its siblings; the step fails once all have finished.
        Assert.Equal(["train[2]"], ReadyKeys(plan));
        Assert.Equal(StepStatus.Running, plan.StatusOf("train"));
        foreach (var i in new[] { 1, 2, 3, 4 })
        {
            state = state.WithResult(new("train", i), StepResult.Succeeded(
                new Dictionary<string, ArtifactRef> { ["model"] = new("blob:x") },
                new Dictionary<string, PipelineValue> { ["auc"] = PipelineValue.FromNumber(1) }));
        }

        plan = planner.Plan(state);
        Assert.Equal(StepStatus.Failed, plan.StatusOf("train"));
        Assert.Equal(StepStatus.Blocked, plan.StatusOf("pick"));
        Assert.Equal(RunOutcome.Failed, plan.Outcome);
    }

    [Fact]
    public void Plan_EmptyForEachList_SucceedsWithEmptyCollection()
    {
        var planner = Planner(Fan, new() { ["seeds"] = PipelineValue.FromList([]) });

        var plan = planner.Plan(RunState.Empty);

        Assert.Equal(StepStatus.Succeeded, plan.StatusOf("train"));
        Assert.Equal("pick []", Assert.Single(plan.Ready).Command);
    }

    [Fact]
    public void Plan_CancelRequested_StartsNothingAndFinishesCancelledWhenRunningStepsEnd()
    {
        var planner = Planner(Diamond);
        var state = RunState.Empty
            .WithResult(new("a"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["v"] = PipelineValue.FromInt(1) }))
            .WithRunning(new("b")) with { CancelRequested = true };

        var plan = planner.Plan(state);
        Assert.Empty(plan.Ready);
        Assert.False(plan.IsFinished);
        Assert.Equal(StepStatus.Cancelled, plan.StatusOf("c"));

        plan = planner.Plan(state.WithResult(new("b"), new StepResult { Status = StepStatus.Cancelled, Reason = "killed" }));
        Assert.True(plan.IsFinished);
        Assert.Equal(RunOutcome.Cancelled, plan.Outcome);
    }

    [Fact]
    public void Plan_ResolvesParamsInputsAndOutputsInCommandEnvAndValues()
    {
        var planner = Planner("""
            name: resolve
            parameters:
              lr: { type: number, default: 0.05 }
              data: { type: string, default: data/credit.csv }
            steps:
              prep:
                command: "prep ${{ inputs.raw }} ${{ inputs.frac }} ${{ outputs.train }}"
                env: { LR: "lr=${{ params.lr }}" }
                inputs:
                  raw: { uri: "${{ params.data }}" }
                  frac: { value: 0.2, type: number }
                  label: { value: "${{ params.lr }}", type: string }
                outputs: { train: artifact }
            """, new() { ["lr"] = PipelineValue.FromString("0.125") });

        var step = Assert.Single(planner.Plan(RunState.Empty).Ready);

        Assert.Equal("prep inputs/raw 0.2 outputs/train", step.Command);
        Assert.Equal("lr=0.125", step.Env["LR"]);
        Assert.Equal("package:data/credit.csv", step.Inputs[0].Artifacts.Single().Uri);
        Assert.Equal(PipelineValue.FromNumber(0.2), step.Inputs[1].Value);
        Assert.Equal(PipelineValue.FromString("0.125"), step.Inputs[2].Value);
    }

    [Fact]
    public void Plan_SameStateTwice_GivesTheSamePlan()
    {
        var planner = Planner(Fan);
        var state = RunState.Empty.WithRunning(new("train", 3));

        var first = planner.Plan(state);
        var second = planner.Plan(state);

        Assert.Equal(first.Ready.Select(r => (r.Key, r.Command)), second.Ready.Select(r => (r.Key, r.Command)));
        Assert.Equal(first.States, second.States);
    }

    [Fact]
    public void Builder_SameDefinitionAsYaml_PlansIdentically()
    {
        var built = new PipelineBuilder("diamond")
            .Step("a", s => s.Command("echo a").ValueOutput("v", PipelineType.Int))
            .Step("b", s => s.Command("echo b ${{ steps.a.outputs.v }}").ValueOutput("v", PipelineType.Int))
            .Step("c", s => s.Command("echo c").Needs("a"))
            .Step("d", s => s.Command("echo d ${{ steps.b.outputs.v }}").Needs("c"))
            .Build();
        var fromBuilder = new PipelinePlanner(built, ParameterResolver.Resolve(built));
        var fromYaml = Planner(Diamond);
        var state = RunState.Empty.WithResult(new("a"), StepResult.Succeeded(values: new Dictionary<string, PipelineValue> { ["v"] = PipelineValue.FromInt(4) }));

        Assert.Equal(
            fromYaml.Plan(state).Ready.Select(r => (r.Key, r.Command)),
            fromBuilder.Plan(state).Ready.Select(r => (r.Key, r.Command)));
    }

    [Fact]
    public void Builder_InvalidDefinition_ThrowsWithEveryProblem()
    {
        var ex = Assert.Throws<PipelineValidationException>(() => new PipelineBuilder("bad")
            .Step("a", s => s.Command("echo ${{ params.nope }}").Needs("ghost"))
            .Build());

        Assert.Equal(2, ex.Diagnostics.Count);
        Assert.Contains(ex.Diagnostics, d => d.Message.Contains("unknown parameter 'nope'", StringComparison.Ordinal));
        Assert.Contains(ex.Diagnostics, d => d.Message.Contains("needs unknown step 'ghost'", StringComparison.Ordinal));
    }

    [Fact]
    public void ResolveParameters_UnknownMissingAndMistyped_ListsEveryProblem()
    {
        var definition = PipelineParser.Parse("""
            name: p
            parameters:
              n: int
              rate: { type: number, default: 0.1 }
            steps: { a: { command: a } }
            """, "p.yaml").GetDefinitionOrThrow();

        var ex = Assert.Throws<ArgumentException>(() => ParameterResolver.Resolve(definition, new Dictionary<string, PipelineValue>
        {
            ["rate"] = PipelineValue.FromString("fast"),
            ["extra"] = PipelineValue.True,
        }));

        Assert.Contains("unknown parameter 'extra'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'n' is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'rate' must be number, but got \"fast\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, FailureKind.Failed, true, 10)]
    [InlineData(2, FailureKind.TimedOut, true, 20)]
    [InlineData(3, FailureKind.Infrastructure, true, 30)]
    [InlineData(4, FailureKind.Failed, false, 0)]
    [InlineData(1, FailureKind.Cancelled, false, 0)]
    public void RetryDecider_BackoffGrowsAndCapsAndStopsAtMaxAttempts(int failedAttempt, FailureKind kind, bool retry, int delaySeconds)
    {
        var policy = new RetryPolicy { MaxAttempts = 4, InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(30), Multiplier = 2 };

        var decision = RetryDecider.Decide(policy, failedAttempt, kind);

        Assert.Equal(retry, decision.Retry);
        Assert.Equal(TimeSpan.FromSeconds(delaySeconds), decision.Delay);
        if (retry)
        {
            Assert.Equal(failedAttempt + 1, decision.NextAttempt);
        }
    }

    [Fact]
    public void RetriesShorthand_MeansRetriesAfterTheFirstAttempt()
    {
        var definition = PipelineParser.Parse("name: r\nsteps: { a: { command: a, retries: 2 } }\n", "r.yaml").GetDefinitionOrThrow();

        Assert.Equal(3, definition.Steps[0].Retries.MaxAttempts);
        Assert.True(RetryDecider.Decide(definition.Steps[0].Retries, 2, FailureKind.Failed).Retry);
        Assert.False(RetryDecider.Decide(definition.Steps[0].Retries, 3, FailureKind.Failed).Retry);
    }

    [Fact]
    public void CacheKey_DependsOnContentDigestsCodeAndValuesButNotOnLocations()
    {
        var planner = Planner("""
            name: c
            parameters: { lr: { type: number, default: 0.1 } }
            steps:
              a: { command: a, outputs: { data: artifact } }
              b:
                command: "train ${{ params.lr }}"
                inputs: { data: "${{ steps.a.outputs.data }}" }
            """);
        ReadyStep StepB(string uri, string digest, double lr = 0.1)
        {
            var state = RunState.Empty.WithResult(new("a"), StepResult.Succeeded(new Dictionary<string, ArtifactRef> { ["data"] = new(uri, digest) }));
            return PlannerWith(lr).Plan(state).Ready.Single();
        }

        PipelinePlanner PlannerWith(double lr) => lr == 0.1 ? planner : Planner("""
            name: c
            parameters: { lr: { type: number, default: 0.1 } }
            steps:
              a: { command: a, outputs: { data: artifact } }
              b:
                command: "train ${{ params.lr }}"
                inputs: { data: "${{ steps.a.outputs.data }}" }
            """, new() { ["lr"] = PipelineValue.FromNumber(lr) });

        var key = StepCacheKey.Compute(StepB("blob:run1/a/data", "sha256:aa"), "sha256:code1");

        Assert.StartsWith("sha256:", key, StringComparison.Ordinal);
        Assert.Equal(key, StepCacheKey.Compute(StepB("blob:run2/a/data", "sha256:aa"), "sha256:code1"));
        Assert.NotEqual(key, StepCacheKey.Compute(StepB("blob:run1/a/data", "sha256:bb"), "sha256:code1"));
        Assert.NotEqual(key, StepCacheKey.Compute(StepB("blob:run1/a/data", "sha256:aa"), "sha256:code2"));
        Assert.NotEqual(key, StepCacheKey.Compute(StepB("blob:run1/a/data", "sha256:aa", lr: 0.2), "sha256:code1"));
    }

    [Theory]
    [InlineData("data/x.csv", "package:data/x.csv")]
    [InlineData("./data/x.csv", "package:data/x.csv")]
    [InlineData("/data/x.csv", "package:data/x.csv")]
    [InlineData(".build/model.zip", "package:.build/model.zip")]
    [InlineData("./.env/x", "package:.env/x")]
    [InlineData("../outside.csv", "package:../outside.csv")]
    [InlineData("blob:c/x", "blob:c/x")]
    [InlineData("file:/tmp/x", "file:/tmp/x")]
    public void Plan_BarePathInput_IsRelativeToThePackageAndKeepsDotNames(string uri, string expected)
    {
        var planner = Planner($$"""
            name: u
            steps:
              a: { command: a, inputs: { raw: { uri: "{{uri}}" } } }
            """);

        Assert.Equal(expected, planner.Plan(RunState.Empty).Ready.Single().Inputs[0].Artifacts.Single().Uri);
    }

    [Fact]
    public void CacheKey_UriInputWithoutDigest_MustBeResolvedFirst()
    {
        var planner = Planner("""
            name: u
            steps:
              a: { command: a, inputs: { raw: { uri: data/x.csv } } }
            """);
        var step = planner.Plan(RunState.Empty).Ready.Single();

        Assert.Throws<InvalidOperationException>(() => StepCacheKey.Compute(step, "sha256:c"));
        var resolved = StepCacheKey.WithInputDigests(step, a => a.Uri == "package:data/x.csv" ? "sha256:11" : "sha256:22");
        Assert.NotEqual(
            StepCacheKey.Compute(resolved, "sha256:c"),
            StepCacheKey.Compute(StepCacheKey.WithInputDigests(step, _ => "sha256:22"), "sha256:c"));
    }
}
