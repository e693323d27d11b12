using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Serverless.Pipelines.Orchestration.Tests;

/// <summary>The pipelines and runs API of the real host over loopback HTTP.</summary>
public sealed class PipelinesApiTests : IAsyncLifetime
{
    private HostApi _api = null!;

    public async Task InitializeAsync() => _api = await HostApi.StartAsync("api");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Validate_BadYaml_ReturnsDiagnosticsWithLineAndColumn()
    {
        var yaml = "name: v\nsteps:\n  a:\n    comand: echo\n";
        var content = new StringContent(yaml, Encoding.UTF8);
        content.Headers.ContentType = HostApi.Yaml;

        var (status, body, _) = await _api.SendAsync(HttpMethod.Post, "/api/pipelines/validate", content: content);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("valid").GetBoolean());
        var diagnostics = body.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Contains(diagnostics, d => d.GetProperty("line").GetInt32() == 4 && d.GetProperty("message").GetString()!.Contains("comand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_ZipTwice_IsContentAddressedAndListed()
    {
        var folder = Path.Combine(_api.Scratch, "zipped");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.yaml"), "name: zipped\nsteps:\n  a:\n    command: cat data.txt\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "data.txt"), "hello");
        ByteArrayContent Zip()
        {
            var c = new ByteArrayContent(HostApi.Zip(folder));
            c.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            return c;
        }

        var (s1, first, _) = await _api.SendAsync(HttpMethod.Put, "/api/pipelines/zipped/package", content: Zip());
        var (s2, second, _) = await _api.SendAsync(HttpMethod.Put, "/api/pipelines/zipped/package", content: Zip());
        var (s3, list, _) = await _api.SendAsync(HttpMethod.Get, "/api/pipelines");
        var (s4, one, _) = await _api.SendAsync(HttpMethod.Get, "/api/pipelines/zipped");

        Assert.Equal(HttpStatusCode.OK, s1);
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(first.GetProperty("version").GetString(), second.GetProperty("version").GetString());
        Assert.StartsWith("sha256:", first.GetProperty("codeDigest").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Contains(list.GetProperty("pipelines").EnumerateArray(), p => p.GetProperty("name").GetString() == "zipped"
            && p.GetProperty("latestVersion").GetString() == first.GetProperty("version").GetString());
        Assert.Equal(HttpStatusCode.OK, s4);
        Assert.Single(one.GetProperty("versions").EnumerateArray());
    }

    [Fact]
    public async Task Publish_InvalidDefinition_Returns400WithDiagnosticsInDetails()
    {
        var folder = Path.Combine(_api.Scratch, "broken");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.yaml"), "name: broken\nsteps:\n  a:\n    command: echo ${{ params.nope }}\n");
        var content = new ByteArrayContent(HostApi.Zip(folder));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");

        var (status, body, _) = await _api.SendAsync(HttpMethod.Put, "/api/pipelines/broken/package", content: content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("code").GetString());
        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal(4, detail.GetProperty("line").GetInt32());
        Assert.Contains("nope", detail.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ZipWhoseBuildInputsReachOutsideIt_Returns400NamingTheLineAndPublishesNothing()
    {
        // An upload may only use build inputs it carries: otherwise it could make the server digest (or build
        // from) the server's own files, e.g. its whole file system.
        var folder = Path.Combine(_api.Scratch, "escaping");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.yaml"),
            "name: escaping\nbuild:\n  command: \"true\"\n  inputs: [../../../../../etc]\nsteps:\n  a:\n    command: \"true\"\n");
        var content = new ByteArrayContent(HostApi.Zip(folder));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");

        var (status, body, _) = await _api.SendAsync(HttpMethod.Put, "/api/pipelines/escaping/package", content: content);
        var (shown, _, _) = await _api.SendAsync(HttpMethod.Get, "/api/pipelines/escaping");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("code").GetString());
        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((4, 12), (detail.GetProperty("line").GetInt32(), detail.GetProperty("column").GetInt32()));
        Assert.Equal("build input '../../../../../etc' is outside the uploaded zip; an upload must contain its build inputs (smlops adds them)", detail.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, shown);
    }

    [Fact]
    public async Task StartRun_ByName_RunsFromSourceFolderAndServesStatusAndLogs()
    {
        _api.WritePipeline("hello", """
            name: hello
            parameters:
              who: { type: string, default: world }
              times: { type: int, default: 2 }
            steps:
              greet:
                command: for i in $(seq ${{ params.times }}); do echo "hello ${{ params.who }} $i"; done; echo oops >&2; echo done > ${{ outputs.greeting }}
                outputs: { greeting: artifact }
              shout:
                command: tr a-z A-Z < ${{ inputs.text }}
                inputs: { text: "${{ steps.greet.outputs.greeting }}" }
            """);

        var (unknown, unknownBody, _) = await _api.SendAsync(HttpMethod.Post, "/api/pipelines/no-such-pipeline/runs", new { });
        var (bad, badBody, _) = await _api.SendAsync(HttpMethod.Post, "/api/pipelines/hello/runs", new { parameters = new { times = "many" } });
        var (badCache, badCacheBody, _) = await _api.SendAsync(HttpMethod.Post, "/api/pipelines/hello/runs", new { cache = "nope" });
        var (typo, typoBody, _) = await _api.SendAsync(HttpMethod.Post, "/api/pipelines/hello/runs", new { paramters = new { times = 5 } });
        var (started, startBody, response) = await _api.SendAsync(HttpMethod.Post, "/api/pipelines/hello/runs",
            new { parameters = new { who = "api", times = 3 }, runId = "hello-api-1" });
        var (again, _, _) = await _api.SendAsync(HttpMethod.Post, "/api/pipelines/hello/runs", new { runId = "hello-api-1" });
        var run = await _api.WaitForRunAsync("hello-api-1");

        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("NOT_FOUND", unknownBody.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("times", badBody.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badCache);
        Assert.Equal("the request body's 'cache' has the wrong type (line 1, column 16)", badCacheBody.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, typo);
        Assert.Equal("the request body has an unknown field 'paramters' (line 1, column 14); known fields: version, parameters, runId, experimentName, cache",
            typoBody.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Accepted, started);
        Assert.Equal("/api/runs/hello-api-1", response.Headers.Location?.ToString());
        Assert.EndsWith("/api/runs/hello-api-1", startBody.GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(3, run.GetProperty("parameters").GetProperty("times").GetInt32());
        var greet = HostApi.Step(run, "greet");
        Assert.Equal("Succeeded", greet.GetProperty("status").GetString());
        Assert.Equal(1, greet.GetProperty("attempt").GetInt32());
        Assert.Equal("local", greet.GetProperty("compute").GetString());
        Assert.StartsWith("blob:", greet.GetProperty("outputs").GetProperty("greeting").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(greet.GetProperty("trackingRunId").GetString()));
        Assert.False(string.IsNullOrEmpty(run.GetProperty("trackingRunId").GetString()));
        // Where the attempt's time went: staging, the command, uploads; together the step's duration (to the ms).
        var phases = greet.GetProperty("phases");
        double[] parts = [phases.GetProperty("prepare").GetDouble(), phases.GetProperty("command").GetDouble(), phases.GetProperty("finalize").GetDouble()];
        Assert.All(parts, p => Assert.True(p >= 0, $"phase of {p} s"));
        Assert.True(parts[1] > 0, "the command ran");
        Assert.Equal(greet.GetProperty("duration").GetDouble(), parts.Sum(), 0.0025);

        var logs = await _api.Http.GetAsync("/api/runs/hello-api-1/steps/greet/logs");
        var text = await logs.Content.ReadAsStringAsync();
        Assert.Equal("hello api 1\nhello api 2\nhello api 3\n", text);
        Assert.Equal(text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), logs.Headers.GetValues("X-Log-Offset").Single());
        var tail = await _api.Http.GetStringAsync("/api/runs/hello-api-1/steps/greet/logs?offset=12");
        Assert.Equal("hello api 2\nhello api 3\n", tail);
        Assert.Equal("oops\n", await _api.Http.GetStringAsync("/api/runs/hello-api-1/steps/greet/logs?stream=stderr"));

        var (cancelFinished, _, _) = await _api.SendAsync(HttpMethod.Post, "/api/runs/hello-api-1/cancel");
        Assert.Equal(HttpStatusCode.Conflict, cancelFinished);
        var (listStatus, list, _) = await _api.SendAsync(HttpMethod.Get, "/api/runs?pipeline=hello&status=Succeeded");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Contains(list.GetProperty("runs").EnumerateArray(), r => r.GetProperty("id").GetString() == "hello-api-1");
    }

    [Fact]
    public async Task Rerun_Failed_ReusesSucceededStepsAndRunsTheFailedOne()
    {
        var counter = Path.Combine(_api.Scratch, "rerun.count");
        var flag = Path.Combine(_api.Scratch, "rerun.flag");
        await File.WriteAllTextAsync(flag, "fail");
        _api.WritePipeline("rerun-api", $$$"""
            name: rerun-api
            steps:
              first:
                command: echo x >> {{{counter}}}; echo 9 > ${{ outputs.n }}
                outputs: { n: int }
                cache: false
              second:
                command: test ! -e {{{flag}}} && test ${{ steps.first.outputs.n }} = 9
            """);
        var runId = await _api.StartRunAsync("rerun-api");
        var failed = await _api.WaitForRunAsync(runId);
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.Equal("Failed", HostApi.Step(failed, "second").GetProperty("status").GetString());
        File.Delete(flag);

        var (status, body, _) = await _api.SendAsync(HttpMethod.Post, $"/api/runs/{runId}/rerun", new { mode = "failed" });
        var (badMode, _, _) = await _api.SendAsync(HttpMethod.Post, $"/api/runs/{runId}/rerun", new { mode = "some" });
        var (typo, typoBody, _) = await _api.SendAsync(HttpMethod.Post, $"/api/runs/{runId}/rerun", new { mod = "failed" });
        var rerun = await _api.WaitForRunAsync(body.GetProperty("id").GetString()!);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(HttpStatusCode.BadRequest, badMode);
        Assert.Equal(HttpStatusCode.BadRequest, typo);
        Assert.StartsWith("the request body has an unknown field 'mod' (line 1, column", typoBody.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Succeeded", rerun.GetProperty("status").GetString());
        Assert.Equal("Cached", HostApi.Step(rerun, "first").GetProperty("status").GetString());
        Assert.Equal("Succeeded", HostApi.Step(rerun, "second").GetProperty("status").GetString());
        Assert.Single(await File.ReadAllLinesAsync(counter));
    }

    [Fact]
    public async Task Logs_FollowWhileStepRuns_StreamsUntilTheStepEnds_AndCancelStopsTheRun()
    {
        _api.WritePipeline("follow", """
            name: follow
            steps:
              talk:
                command: for i in 1 2 3 4; do echo "line $i"; sleep 0.7; done
              wait:
                command: sleep 120
                needs: [talk]
            """);
        var runId = await _api.StartRunAsync("follow");
        await _api.WaitForRunAsync(runId, until: r => HostApi.StatusOf(r, "talk") == "Running");

        var followed = await _api.Http.GetStringAsync($"/api/runs/{runId}/steps/talk/logs?follow=true");
        Assert.Equal("line 1\nline 2\nline 3\nline 4\n", followed);

        await _api.WaitForRunAsync(runId, until: r => HostApi.StatusOf(r, "wait") == "Running");
        var (cancel, _, _) = await _api.SendAsync(HttpMethod.Post, $"/api/runs/{runId}/cancel");
        var run = await _api.WaitForRunAsync(runId, 60);

        Assert.Equal(HttpStatusCode.Accepted, cancel);
        Assert.Equal("Cancelled", run.GetProperty("status").GetString());
        Assert.Equal("Cancelled", HostApi.Step(run, "wait").GetProperty("status").GetString());
    }
}
