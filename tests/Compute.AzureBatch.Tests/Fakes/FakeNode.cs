using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;

namespace Serverless.Compute.AzureBatch.Tests.Fakes;

/// <summary>
/// Stands in for a compute node: holds the files a task "wrote" (relative to its working directory, so logs are
/// <c>../stdout.txt</c>) and, when the fake service reports the task completed, uploads them as Batch would, by
/// the task's own <c>outputFiles</c> specs (pattern, upload condition, container and path) to Azurite. The
/// collector then finds the outputs only if the submitted specs and its own blob layout agree.
/// </summary>
internal sealed class FakeNode
{
    private readonly FakeBatchService _service;
    private readonly BlobServiceClient _blobs;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _files = new(StringComparer.OrdinalIgnoreCase);

    public FakeNode(FakeBatchService service, BlobServiceClient blobs)
    {
        _service = service;
        _blobs = blobs;
        service.TaskCompleted = UploadAsync;
    }

    public ConcurrentQueue<string> Uploaded { get; } = new();

    /// <summary>Writes a file in the task's working directory; <c>../stdout.txt</c> and <c>../stderr.txt</c> also show in the task file API.</summary>
    public void Write(string jobId, string taskId, string path, string text)
    {
        var files = _files.GetOrAdd(jobId + "/" + taskId, _ => new(StringComparer.Ordinal));
        files.AddOrUpdate(path, Encoding.UTF8.GetBytes(text), (_, old) => [.. old, .. Encoding.UTF8.GetBytes(text)]);
        if (path.StartsWith("../", StringComparison.Ordinal))
        {
            _service.Files.GetOrAdd($"{jobId}/{taskId}/{path[3..]}", _ => new StringBuilder()).Append(text);
        }
    }

    private async Task UploadAsync(string jobId, string taskId, JsonObject spec, string result)
    {
        if (!_files.TryGetValue(jobId + "/" + taskId, out var files))
        {
            return;
        }

        foreach (var output in spec["outputFiles"]?.AsArray() ?? [])
        {
            var condition = output!["uploadOptions"]!["uploadCondition"]!.GetValue<string>();
            if ((condition == "tasksuccess" && result != "success") || (condition == "taskfailure" && result == "success"))
            {
                continue;
            }

            var pattern = output["filePattern"]!.GetValue<string>();
            var destination = output["destination"]!["container"]!;
            var containerUrl = destination["containerUrl"]!.GetValue<string>();
            var container = _blobs.GetBlobContainerClient(Uri.UnescapeDataString(containerUrl[(containerUrl.LastIndexOf('/') + 1)..]));
            await container.CreateIfNotExistsAsync();
            var path = destination["path"]!.GetValue<string>();
            var wildcard = pattern.IndexOfAny(['*', '?', '[']);
            var baseDir = wildcard < 0 ? null : pattern[..pattern.LastIndexOf('/', wildcard)];
            var regex = new Regex("^" + Glob(pattern) + "$");
            foreach (var (file, content) in files)
            {
                if (!regex.IsMatch(file))
                {
                    continue;
                }

                // With a wildcard, path is a virtual directory and the file keeps its path below the pattern's fixed part.
                var blobName = baseDir is null ? path : path + "/" + file[(baseDir.Length + 1)..];
                await container.GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(content), overwrite: true);
                Uploaded.Enqueue(blobName);
            }
        }
    }

    private static string Glob(string pattern)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 2 < pattern.Length && pattern[i + 1] == '*' && pattern[i + 2] == '/')
            {
                builder.Append("(?:[^/]+/)*");
                i += 2;
            }
            else if (pattern[i] == '*')
            {
                builder.Append("[^/]*");
            }
            else if (pattern[i] == '?')
            {
                builder.Append("[^/]");
            }
            else
            {
                builder.Append(Regex.Escape(pattern[i].ToString()));
            }
        }

        return builder.ToString();
    }
}
