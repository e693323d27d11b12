using System.Net;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class ExperimentCascadeTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task DeleteExperiment_HidesItsRunsFromActiveSearch_RestoreBringsBackOnlyThose()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("cascade"));
        var kept = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        var other = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        var deletedBefore = (await server.Client.CreateRunAsync(experimentId)).Info.RunId;
        await server.Client.LogMetricAsync(kept, "acc", 0.9);
        await server.Client.DeleteRunAsync(deletedBefore);

        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("api/2.0/mlflow/experiments/delete", $$"""{"experiment_id":"{{experimentId}}"}""")).Status);
        var active = await server.Client.SearchRunsAsync([experimentId]);
        var deleted = await server.Client.SearchRunsAsync([experimentId], runViewType: "DELETED_ONLY");
        var run = await server.Client.GetRunAsync(kept);
        var log = await server.PostAsync("api/2.0/mlflow/runs/log-metric", $$"""{"run_id":"{{kept}}","key":"acc","value":1,"timestamp":1}""");

        Assert.Empty(active.Items);
        Assert.Equal(new[] { kept, other, deletedBefore }.Order(), deleted.Items.Select(r => r.Info.RunId).Order());
        Assert.Equal(LifecycleStage.Deleted, run.Info.LifecycleStage);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, log.ErrorCode);

        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("api/2.0/mlflow/experiments/restore", $$"""{"experiment_id":"{{experimentId}}"}""")).Status);
        var restored = await server.Client.SearchRunsAsync([experimentId], "metrics.acc > 0.5");
        var stillDeleted = await server.Client.SearchRunsAsync([experimentId], runViewType: "DELETED_ONLY");
        await server.Client.LogMetricAsync(kept, "acc", 0.95, step: 1);

        Assert.Equal(kept, Assert.Single(restored.Items).Info.RunId);
        Assert.Equal(deletedBefore, Assert.Single(stillDeleted.Items).Info.RunId);
        Assert.Equal(2, (await server.Client.SearchRunsAsync([experimentId])).Items.Count);
    }

    [Fact]
    public async Task DeleteExperiment_MoreRunsThanOneTransaction_AllFollow()
    {
        var experimentId = await server.Client.CreateExperimentAsync(TestNames.Unique("cascade-many"));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 30; i++)
            {
                await server.Client.CreateRunAsync(experimentId);
            }
        }));

        await server.Client.DeleteExperimentAsync(experimentId);
        var active = await server.Client.SearchRunsAsync([experimentId]);
        var deleted = await server.Client.SearchRunsAsync([experimentId], runViewType: "DELETED_ONLY");

        Assert.Empty(active.Items);
        Assert.Equal(120, deleted.Items.Count);
    }

    [Fact]
    public async Task DeleteExperiment_UnknownOrDefault_AreMlflowErrorsAndChangeNothing()
    {
        var unknown = await server.PostAsync("api/2.0/mlflow/experiments/delete", """{"experiment_id":"987654"}""");
        var missing = await server.PostAsync("api/2.0/mlflow/experiments/restore", "{}");
        var run = (await server.Client.CreateRunAsync("0")).Info.RunId;
        var defaultExperiment = await server.PostAsync("api/2.0/mlflow/experiments/delete", """{"experiment_id":"0"}""");

        Assert.Equal((HttpStatusCode.NotFound, MlflowErrorCodes.ResourceDoesNotExist), (unknown.Status, unknown.ErrorCode));
        Assert.Equal((HttpStatusCode.BadRequest, MlflowErrorCodes.InvalidParameterValue), (missing.Status, missing.ErrorCode));
        Assert.Equal((HttpStatusCode.BadRequest, MlflowErrorCodes.InvalidParameterValue), (defaultExperiment.Status, defaultExperiment.ErrorCode));
        Assert.Equal(LifecycleStage.Active, (await server.Client.GetRunAsync(run)).Info.LifecycleStage);
    }
}
