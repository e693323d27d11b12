using System.Net;
using System.Security.Cryptography;
using System.Text;
using Serverless.Testing;
using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class ArtifactEndpointTests(MlflowServer server) : IClassFixture<MlflowServer>
{
    [Fact]
    public async Task PutGetListDelete_RoundTrip()
    {
        var (root, _) = await NewRunRootAsync();

        var put = await server.SendRawAsync(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/artifacts/{root}/notes/hello.txt", Encoding.UTF8.GetBytes("hello"));
        await server.SendRawAsync(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/artifacts/{root}/model/MLmodel", Encoding.UTF8.GetBytes("flavors: {}"));
        var listRoot = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root)}");
        var listNotes = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root + "/notes")}");
        var get = await server.Http.GetAsync(new Uri(server.BaseUri, $"api/2.0/mlflow-artifacts/artifacts/{root}/notes/hello.txt"));
        var delete = await server.SendRawAsync(HttpMethod.Delete, $"/api/2.0/mlflow-artifacts/artifacts/{root}/notes");
        var afterDelete = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root + "/notes")}");
        var getDeleted = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts/{root}/notes/hello.txt");

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("{}", put.Body);
        var entries = listRoot.Json["files"]!.AsArray().Select(f => (f!["path"]!.GetValue<string>(), f["is_dir"]!.GetValue<bool>())).Order().ToList();
        Assert.Equal([("model", true), ("notes", true)], entries);
        var file = Assert.Single(listNotes.Json["files"]!.AsArray())!;
        Assert.Equal("hello.txt", file["path"]!.GetValue<string>());
        Assert.Equal(5, file["file_size"]!.GetValue<long>());
        Assert.Equal("hello", await get.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", get.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{}", delete.Body);
        Assert.Equal("{}", afterDelete.Body);
        Assert.Equal(HttpStatusCode.NotFound, getDeleted.Status);
    }

    [Fact]
    public async Task List_FilePathOrMissingDirectory_ReturnsEmptyObject()
    {
        var (root, _) = await NewRunRootAsync();
        await server.SendRawAsync(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/artifacts/{root}/a.txt", [1, 2, 3]);

        var file = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root + "/a.txt")}");
        var missing = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root + "/nothing")}");

        Assert.Equal(HttpStatusCode.OK, file.Status);
        Assert.Equal("{}", file.Body);
        Assert.Equal("{}", missing.Body);
    }

    [Theory]
    [InlineData("/{root}/../../../other/x.txt")]
    [InlineData("/{root}/%2e%2e/%2e%2e/x.txt")]
    [InlineData("/{root}/%252e%252e/x.txt")]
    [InlineData("/{root}/a%5c..%5cx.txt")]
    [InlineData("/{root}/a%00b.txt")]
    [InlineData("/{root}/a%0Ab.txt")]
    [InlineData("/{root}//x.txt")]
    [InlineData("/{root}/./x.txt")]
    [InlineData("/%2Fetc/passwd")]
    [InlineData("//etc/passwd")]
    [InlineData("/C:/Windows/x.txt")]
    public async Task Put_UnsafePath_Is400AndWritesNothing(string template)
    {
        var (root, _) = await NewRunRootAsync();
        var before = await BlobNamesAsync();

        var response = await server.SendRawAsync(HttpMethod.Put, "/api/2.0/mlflow-artifacts/artifacts" + template.Replace("{root}", root, StringComparison.Ordinal), [42]);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        if (response.Body.Length > 0)
        {
            // Kestrel itself refuses a NUL in the target with an empty 400 before any handler runs.
            Assert.Equal(MlflowErrorCodes.InvalidParameterValue, response.ErrorCode);
        }

        Assert.Equal(before, await BlobNamesAsync());
    }

    [Theory]
    [InlineData("/{root}/../../../other/artifacts/secret.txt")]
    [InlineData("/{root}/%2e%2e/%2e%2e/x.txt")]
    public async Task Get_TraversalToAnotherRun_Is400(string template)
    {
        var (root, _) = await NewRunRootAsync();
        var (other, _) = await NewRunRootAsync();
        await server.SendRawAsync(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/artifacts/{other}/secret.txt", Encoding.UTF8.GetBytes("secret"));

        var response = await server.SendRawAsync(HttpMethod.Get, "/api/2.0/mlflow-artifacts/artifacts" + template.Replace("{root}", root, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.DoesNotContain("secret", response.Body.Replace("secret.txt", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_OutsideAnyRunRoot_Is400()
    {
        var response = await server.SendRawAsync(HttpMethod.Put, "/api/2.0/mlflow-artifacts/artifacts/0/0123456789abcdef0123456789abcdef/artifacts/x.txt", [1]);
        var notUnderArtifacts = await server.SendRawAsync(HttpMethod.Put, "/api/2.0/mlflow-artifacts/artifacts/loose.txt", [1]);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(HttpStatusCode.BadRequest, notUnderArtifacts.Status);
    }

    [Fact]
    public async Task List_TraversalInQueryPath_Is400()
    {
        var (root, _) = await NewRunRootAsync();

        var response = await server.GetAsync($"api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(root + "/../..")}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task LargeFile_StreamsBothWays_Intact()
    {
        var (_, runId) = await NewRunRootAsync();
        var size = 9 * 1024 * 1024 + 123;
        var data = new byte[size];
        new Random(7).NextBytes(data);

        await using (var upload = new MemoryStream(data))
        {
            await server.Client.UploadArtifactAsync(runId, "big/weights.bin", upload);
        }

        using var download = new MemoryStream();
        await server.Client.DownloadArtifactAsync(runId, "big/weights.bin", download);
        var listed = await server.Client.ListArtifactsAsync(runId, "big");

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(download.ToArray()));
        Assert.Equal(size, Assert.Single(listed).FileSize);
    }

    [Fact]
    public async Task NonProxiedList_ReturnsRootUriAndRootRelativePaths()
    {
        var (root, runId) = await NewRunRootAsync();
        await server.SendRawAsync(HttpMethod.Put, $"/api/2.0/mlflow-artifacts/artifacts/{root}/model/MLmodel", [1]);

        var response = await server.GetAsync($"api/2.0/mlflow/artifacts/list?run_id={runId}&path=model");

        Assert.Equal($"mlflow-artifacts:/{root}", response.Json["root_uri"]!.GetValue<string>());
        Assert.Equal("model/MLmodel", response.Json["files"]![0]!["path"]!.GetValue<string>());
    }

    private async Task<(string Root, string RunId)> NewRunRootAsync()
    {
        var experimentId = await server.Client.GetOrCreateExperimentAsync("artifacts-" + server.TablePrefix);
        var run = await server.Client.CreateRunAsync(experimentId);
        return (MlflowClient.ToProxyPath(run.Info.ArtifactUri!), run.Info.RunId);
    }

    private async Task<List<string>> BlobNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in server.Storage.Blobs.GetBlobContainerClient(server.Container).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
