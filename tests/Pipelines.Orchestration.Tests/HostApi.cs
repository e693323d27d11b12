using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.Pipelines.Orchestration.Tests;

/// <summary>The real host on a loopback port with its own task hub, tables and containers, and JSON helpers for its API.</summary>
public sealed class HostApi : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;

    private HostApi(Dictionary<string, string> settings, string scratch)
    {
        _settings = settings;
        Scratch = scratch;
        Sources = Path.Combine(scratch, "pipelines");
        Directory.CreateDirectory(Sources);
    }

    public HostProcess Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string Scratch { get; }

    /// <summary>The host's source root: a pipeline folder here is published when a run is started by name.</summary>
    public string Sources { get; }

    public static async Task<HostApi> StartAsync(string prefix, string? sourceRoot = null, IDictionary<string, string>? extra = null)
    {
        var scratch = Directory.CreateTempSubdirectory($"host-{prefix}-").FullName;
        var settings = HostSettings.Isolated(scratch);
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            settings[k] = v;
        }

        var api = new HostApi(settings, scratch);
        settings["Serverless:Pipelines:SourceRoot"] = sourceRoot ?? api.Sources;
        await api.RestartAsync();
        return api;
    }

    /// <summary>Starts the host (again, after <see cref="HostProcess.Kill"/>) with the same settings and port.</summary>
    public async Task RestartAsync()
    {
        var port = Host?.Port;
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        Host = await HostProcess.StartAsync(_settings, port);
        Http?.Dispose();
        Http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>Writes a pipeline folder under the source root.</summary>
    public string WritePipeline(string name, string yaml)
    {
        var folder = Path.Combine(Sources, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pipeline.yaml"), yaml);
        return folder;
    }

    public static byte[] Zip(string folder)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            {
                zip.CreateEntryFromFile(file, Path.GetRelativePath(folder, file));
            }
        }

        return buffer.ToArray();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, object? json = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = content ?? (json is null ? null : new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json")),
        };
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = string.IsNullOrEmpty(text) || response.Content.Headers.ContentType?.MediaType != "application/json"
            ? default
            : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    public async Task<string> StartRunAsync(string pipeline, object? body = null)
    {
        var (status, json, _) = await SendAsync(HttpMethod.Post, $"/api/pipelines/{pipeline}/runs", body ?? new { });
        Assert.True(status == HttpStatusCode.Accepted, $"start returned {status}: {json}");
        return json.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> GetRunAsync(string runId)
    {
        var (status, json, _) = await SendAsync(HttpMethod.Get, $"/api/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, status);
        return json;
    }

    public async Task<JsonElement> WaitForRunAsync(string runId, int timeoutSeconds = 180, Func<JsonElement, bool>? until = null)
    {
        until ??= r => r.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled";
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            run = await GetRunAsync(runId);
            if (until(run))
            {
                return run;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"run {runId} not in the expected state after {timeoutSeconds} s: {run}\n{Host.Output}");
    }

    public static JsonElement Step(JsonElement run, string key) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key);

    /// <summary>The step's status, or null while the run has not planned yet.</summary>
    public static string? StatusOf(JsonElement run, string key) =>
        run.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("key").GetString() == key)
            .Select(s => s.GetProperty("status").GetString()).FirstOrDefault();

    public static MediaTypeHeaderValue Yaml => new("application/x-yaml");

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
