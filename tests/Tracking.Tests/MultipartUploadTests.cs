using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

/// <summary>The proxied multipart upload as MLflow's client drives it: create, PUT each credential URL, complete or abort.</summary>
public sealed class MultipartUploadTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task CreatePutComplete_JoinsPartsInOrder_AcrossBlockBoundaries()
    {
        var root = await NewRunRootAsync();
        var parts = new[] { RandomNumberGenerator.GetBytes((4 * 1024 * 1024) + 100), RandomNumberGenerator.GetBytes(1000), RandomNumberGenerator.GetBytes(7) };

        var create = await server.PostAsync($"api/2.0/mlflow-artifacts/mpu/create/{root}/model/weights.bin", """{"path":"ignored","num_parts":3}""");
        var uploadId = create.Json["upload_id"]!.GetValue<string>();
        var credentials = create.Json["credentials"]!.AsArray();
        var before = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts/{root}/model/weights.bin");

        // Parts arrive out of order and in parallel, as the client's thread pool sends them.
        var etags = await Task.WhenAll(credentials.Select(async (c, i) => (Number: c!["part_number"]!.GetValue<int>(), ETag: await PutPartAsync(c!["url"]!.GetValue<string>(), parts[i]))).Reverse());
        var body = new JsonObject
        {
            ["upload_id"] = uploadId,
            ["parts"] = new JsonArray(etags.Select(e => (JsonNode)new JsonObject { ["part_number"] = e.Number, ["etag"] = e.ETag }).ToArray()),
        };
        var complete = await server.PostAsync($"api/2.0/mlflow-artifacts/mpu/complete/{root}/model/weights.bin", body.ToJsonString());
        var download = await server.Http.GetByteArrayAsync(new Uri(server.BaseUri, $"api/2.0/mlflow-artifacts/artifacts/{root}/model/weights.bin"));

        Assert.Equal(3, credentials.Count);
        Assert.Equal([1, 2, 3], credentials.Select(c => c!["part_number"]!.GetValue<int>()));
        Assert.StartsWith(server.BaseUri.GetLeftPart(UriPartial.Authority) + "/api/2.0/mlflow-artifacts/mpu/part/", credentials[0]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, before.Status);
        Assert.Equal((HttpStatusCode.OK, "{}"), (complete.Status, complete.Body));
        Assert.Equal(parts.SelectMany(p => p).ToArray(), download);
    }

    [Fact]
    public async Task RetriedPart_TheNamedAttemptWins()
    {
        var root = await NewRunRootAsync();
        var create = await server.PostAsync($"api/2.0/mlflow-artifacts/mpu/create/{root}/data.txt", """{"num_parts":1}""");
        var url = create.Json["credentials"]![0]!["url"]!.GetValue<string>();

        var first = await PutPartAsync(url, "first attempt, longer"u8.ToArray());
        var second = await PutPartAsync(url, "second"u8.ToArray());
        var complete = await CompleteAsync(root + "/data.txt", create.Json["upload_id"]!.GetValue<string>(), (1, second));
        var text = await server.Http.GetStringAsync(new Uri(server.BaseUri, $"api/2.0/mlflow-artifacts/artifacts/{root}/data.txt"));

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.OK, complete.Status);
        Assert.Equal("second", text);
    }

    [Fact]
    public async Task Abort_DiscardsParts_ThenCompleteIs404()
    {
        var root = await NewRunRootAsync();
        var create = await server.PostAsync($"api/2.0/mlflow-artifacts/mpu/create/{root}/big.bin", """{"num_parts":1}""");
        var uploadId = create.Json["upload_id"]!.GetValue<string>();
        var etag = await PutPartAsync(create.Json["credentials"]![0]!["url"]!.GetValue<string>(), [1, 2, 3]);

        var abort = await server.PostAsync($"api/2.0/mlflow-artifacts/mpu/abort/{root}/big.bin", $$"""{"upload_id":"{{uploadId}}"}""");
        var complete = await CompleteAsync(root + "/big.bin", uploadId, (1, etag));
        var list = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root)}");

        Assert.Equal((HttpStatusCode.OK, "{}"), (abort.Status, abort.Body));
        Assert.Equal((HttpStatusCode.NotFound, MlflowErrorCodes.ResourceDoesNotExist), (complete.Status, complete.ErrorCode));
        Assert.Equal("{}", list.Body);
    }

    [Fact]
    public async Task Complete_MissingPartOrBadIds_Is400_AndNothingAppears()
    {
        var root = await NewRunRootAsync();
        var create = await server.PostAsync($"api/2.0/mlflow-artifacts/mpu/create/{root}/x.bin", """{"num_parts":2}""");
        var uploadId = create.Json["upload_id"]!.GetValue<string>();
        var etag = await PutPartAsync(create.Json["credentials"]![0]!["url"]!.GetValue<string>(), [9]);

        var missing = await CompleteAsync(root + "/x.bin", uploadId, (1, etag), (2, "deadbeef"));
        var badId = await CompleteAsync(root + "/x.bin", "not-an-upload", (1, etag));
        var noParts = await server.PostAsync($"api/2.0/mlflow-artifacts/mpu/complete/{root}/x.bin", $$"""{"upload_id":"{{uploadId}}","parts":[]}""");
        var badPart = await server.SendRawAsync(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/mpu/part/{root}/x.bin?upload_id={uploadId}&part_number=0", [1]);
        var get = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts/{root}/x.bin");

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, missing.ErrorCode);
        Assert.Contains("Part 2", missing.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, MlflowErrorCodes.InvalidParameterValue), (badId.Status, badId.ErrorCode));
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, noParts.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPart.Status);
        Assert.Equal(HttpStatusCode.NotFound, get.Status);
    }

    [Theory]
    [InlineData("/api/2.0/mlflow-artifacts/mpu/create/ROOT/../../other/x.bin", """{"num_parts":1}""")]
    [InlineData("/api/2.0/mlflow-artifacts/mpu/create/ROOT/%2e%2e/x.bin", """{"num_parts":1}""")]
    [InlineData("/api/2.0/mlflow-artifacts/mpu/create/0/notarun/artifacts/x.bin", """{"num_parts":1}""")]
    [InlineData("/api/2.0/mlflow-artifacts/mpu/create/ROOT/x.bin", """{"num_parts":0}""")]
    [InlineData("/api/2.0/mlflow-artifacts/mpu/create/ROOT/x.bin", """{"num_parts":10001}""")]
    [InlineData("/api/2.0/mlflow-artifacts/mpu/create/ROOT/x.bin", "{}")]
    [InlineData("/api/2.0/mlflow-artifacts/mpu/create/ROOT/x.bin", """{"num_parts":"many"}""")]
    public async Task Create_BadPathOrPartCount_Is400(string target, string body)
    {
        var root = await NewRunRootAsync();

        var response = await server.SendRawAsync(HttpMethod.Post, target.Replace("ROOT", root, StringComparison.Ordinal), System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
    }

    private async Task<string> PutPartAsync(string url, byte[] data)
    {
        using var response = await server.Http.PutAsync(new Uri(url), new ByteArrayContent(data));
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag!.Tag.Trim('"');
    }

    private Task<MlflowServer.Response> CompleteAsync(string path, string uploadId, params (int Number, string ETag)[] parts)
    {
        var body = new JsonObject
        {
            ["upload_id"] = uploadId,
            ["parts"] = new JsonArray(parts.Select(p => (JsonNode)new JsonObject { ["part_number"] = p.Number, ["etag"] = p.ETag }).ToArray()),
        };
        return server.PostAsync($"api/2.0/mlflow-artifacts/mpu/complete/{path}", body.ToJsonString());
    }

    private async Task<string> NewRunRootAsync()
    {
        var experimentId = await server.Client.GetOrCreateExperimentAsync("mpu-" + server.TablePrefix);
        var run = await server.Client.CreateRunAsync(experimentId);
        return MlflowClient.ToProxyPath(run.Info.ArtifactUri!);
    }
}
