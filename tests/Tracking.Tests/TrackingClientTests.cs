using System.Text;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class TrackingClientTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task LogBatch_LargerThanOneRequest_IsSplitWithinLimits()
    {
        var run = await NewRunAsync();
        var metrics = Enumerable.Range(0, 2500).Select(i => new Metric("loss", 1.0 / (i + 1), i, i)).ToList();
        var parameters = Enumerable.Range(0, 150).Select(i => new Param($"p{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var tags = Enumerable.Range(0, 120).Select(i => new Tag($"t{i}", "v")).ToList();

        await server.Client.LogBatchAsync(run.Info.RunId, metrics, parameters, tags);

        var stored = await server.Client.GetRunAsync(run.Info.RunId);
        Assert.Equal(150, stored.Data!.Params!.Count);
        Assert.True(stored.Data.Tags!.Count >= 120);
        Assert.Equal(2500, (await server.Client.GetMetricHistoryAsync(run.Info.RunId, "loss")).Items.Count);
        Assert.Equal(2499, stored.Data.Metrics!.Single().Step);
    }

    [Fact]
    public async Task GetExperimentByName_Missing_ReturnsNull_AndGetOrCreateIsIdempotent()
    {
        var name = TestNames.Unique("goc");

        Assert.Null(await server.Client.GetExperimentByNameAsync(name));
        var first = await server.Client.GetOrCreateExperimentAsync(name);
        var second = await server.Client.GetOrCreateExperimentAsync(name);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Errors_SurfaceAsMlflowExceptionWithCode()
    {
        var run = await NewRunAsync();
        await server.Client.LogParamAsync(run.Info.RunId, "a", "1");

        var error = await Assert.ThrowsAsync<MlflowException>(() => server.Client.LogParamAsync(run.Info.RunId, "a", "2"));

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Artifacts_LogListDownloadDelete_ThroughTheClient()
    {
        var run = await NewRunAsync();
        var dir = Directory.CreateTempSubdirectory("mlflow-client-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "MLmodel"), "flavors: {}");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "data"));
            File.WriteAllText(Path.Combine(dir.FullName, "data", "weights.txt"), "0.1 0.2");

            await server.Client.LogArtifactsAsync(run.Info.RunId, dir.FullName, "model");
            var top = await server.Client.ListArtifactsAsync(run.Info.RunId);
            var model = await server.Client.ListArtifactsAsync(run.Info.RunId, "model");
            using var weights = new MemoryStream();
            await server.Client.DownloadArtifactAsync(run.Info.RunId, "model/data/weights.txt", weights);
            using var viaUri = new MemoryStream();
            await server.Client.DownloadArtifactUriAsync(run.Info.ArtifactUri + "/model/MLmodel", viaUri);
            await server.Client.DeleteArtifactAsync(run.Info.RunId, "model/data");

            Assert.Equal(new ArtifactFile("model", true), Assert.Single(top));
            Assert.Equal(["MLmodel", "data"], model.Select(f => f.Path).Order(StringComparer.Ordinal));
            Assert.Equal("0.1 0.2", Encoding.UTF8.GetString(weights.ToArray()));
            Assert.Equal("flavors: {}", Encoding.UTF8.GetString(viaUri.ToArray()));
            Assert.Equal(["MLmodel"], (await server.Client.ListArtifactsAsync(run.Info.RunId, "model")).Select(f => f.Path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Registry_EndToEnd_ThroughTheClient()
    {
        var run = await NewRunAsync();
        var name = TestNames.Unique("clientmodel");

        await server.Client.CreateRegisteredModelAsync(name, "d", [new Tag("k", "v")]);
        var version = await server.Client.CreateModelVersionAsync(name, run.Info.ArtifactUri + "/model", run.Info.RunId, runLink: "pipeline://runs/42");
        await server.Client.SetRegisteredModelAliasAsync(name, "challenger", version.Version);
        var byAlias = await server.Client.GetModelVersionByAliasAsync(name, "challenger");
        await server.Client.DeleteRegisteredModelAliasAsync(name, "challenger");

        Assert.Equal("pipeline://runs/42", byAlias.RunLink);
        Assert.Equal(run.Info.RunId, byAlias.RunId);
        var missing = await Assert.ThrowsAsync<MlflowException>(() => server.Client.GetModelVersionByAliasAsync(name, "challenger"));
        Assert.Equal(MlflowErrorCodes.ResourceDoesNotExist, missing.ErrorCode);
    }

    [Fact]
    public void ToProxyPath_MapsArtifactUris()
    {
        Assert.Equal("1/abc/artifacts", MlflowClient.ToProxyPath("mlflow-artifacts:/1/abc/artifacts"));
        Assert.Equal("1/abc/artifacts/model", MlflowClient.ToProxyPath("mlflow-artifacts://host:5000/1/abc/artifacts/model"));
        Assert.Throws<NotSupportedException>(() => MlflowClient.ToProxyPath("s3://bucket/x"));
    }

    [Fact]
    public void FromEnvironment_ReadsTrackingUri()
    {
        // Child processes get the tracking URI this way; read it the same way a step program does.
        var previous = Environment.GetEnvironmentVariable(MlflowEnvironment.TrackingUriVariable);
        Environment.SetEnvironmentVariable(MlflowEnvironment.TrackingUriVariable, server.BaseUri.ToString());
        try
        {
            using var client = MlflowClient.FromEnvironment();
            Assert.Equal(server.BaseUri, client.TrackingUri);
        }
        finally
        {
            Environment.SetEnvironmentVariable(MlflowEnvironment.TrackingUriVariable, previous);
        }
    }

    [Fact]
    public void QuoteNonFiniteLiterals_QuotesOnlyBareTokens()
    {
        var input = Encoding.UTF8.GetBytes("""{"a":NaN,"b":[Infinity,-Infinity],"c":"NaN \"x\" Infinity","d":1}""");

        var output = Encoding.UTF8.GetString(MlflowJson.QuoteNonFiniteLiterals(input).Span);

        Assert.Equal("""{"a":"NaN","b":["Infinity","-Infinity"],"c":"NaN \"x\" Infinity","d":1}""", output);
    }

    private async Task<Run> NewRunAsync()
    {
        var experimentId = await server.Client.GetOrCreateExperimentAsync("client-" + server.TablePrefix);
        return await server.Client.CreateRunAsync(experimentId);
    }
}
