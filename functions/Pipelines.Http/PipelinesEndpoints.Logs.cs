using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipelines.Attempts;
using Serverless.Pipelines.Execution;
using Serverless.Pipelines.Orchestration;
using Serverless.Pipelines.Planning;
using Serverless.Storage;

namespace Serverless.Pipelines.Http;

/// <summary>Step logs: the append blobs the executor writes every second, read from a byte offset or followed.</summary>
public static partial class PipelinesEndpoints
{
    private static readonly TimeSpan s_followPoll = TimeSpan.FromMilliseconds(500);

    private static async Task LogsAsync(HttpContext context)
    {
        var runId = (string)context.Request.RouteValues["runId"]!;
        var stepText = (string)context.Request.RouteValues["stepKey"]!;
        var query = context.Request.Query;
        var stream = NullIfEmpty(query["stream"]) ?? "stdout";
        if (stream is not ("stdout" or "stderr"))
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, $"stream: must be stdout or stderr, not '{stream}'");
        }

        StepKey key;
        try
        {
            key = StepKey.Parse(stepText);
        }
        catch (FormatException ex)
        {
            throw new PipelineRunException(PipelineRunException.InvalidArgument, $"stepKey: {ex.Message}");
        }

        var offset = ParseLong(query["offset"], "offset", 0);
        var follow = NullIfEmpty(query["follow"]) is { } f && (bool.TryParse(f, out var b)
            ? b
            : throw new PipelineRunException(PipelineRunException.InvalidArgument, $"follow: must be true or false, not '{f}'"));
        var runs = Runs(context);
        var run = await runs.GetAsync(runId, context.RequestAborted);
        var step = run.Steps?.FirstOrDefault(s => s.Key == key.ToString())
            ?? throw new PipelineRunException(PipelineRunException.NotFound, $"stepKey: run '{runId}' has no step '{key}'");
        var attempt = (int)ParseLong(query["attempt"], "attempt", Math.Max(step.Attempt, 1));
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (step.Compute is { } compute && compute != "local"
            && context.RequestServices.GetServices<IStepLogSource>().FirstOrDefault(s => string.Equals(s.Compute.ToString(), compute, StringComparison.OrdinalIgnoreCase)) is { } source)
        {
            await ServeFromSourceAsync(context, source, runId, key, attempt, stream, offset, follow);
            return;
        }

        var prefix = $"{runId}/{key.Step}{(key.Iteration is { } i ? $"/{i}" : string.Empty)}/attempt-{attempt}";
        var container = context.RequestServices.GetRequiredService<StorageClients>().Blobs
            .GetBlobContainerClient(context.RequestServices.GetRequiredService<LocalExecutorOptions>().ArtifactContainer);
        var blob = container.GetBlobClient($"{prefix}/{stream}.log");

        if (!follow)
        {
            var bytes = await ReadFromAsync(blob, offset, context.RequestAborted)
                ?? throw new PipelineRunException(PipelineRunException.NotFound, $"attempt: step '{key}' of run '{runId}' has no {stream} log for attempt {attempt}");
            context.Response.Headers["X-Log-Offset"] = (offset + bytes.Length).ToString(CultureInfo.InvariantCulture);
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            return;
        }

        // Following streams chunks as the blob grows; the header can only carry the starting offset.
        context.Response.Headers["X-Log-Offset"] = offset.ToString(CultureInfo.InvariantCulture);
        await context.Response.StartAsync(context.RequestAborted);
        while (!context.RequestAborted.IsCancellationRequested)
        {
            var finished = await StepFinishedAsync(runs, runId, key, attempt, context.RequestAborted);
            var bytes = await ReadFromAsync(blob, offset, context.RequestAborted);
            if (bytes is { Length: > 0 })
            {
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                offset += bytes.Length;
                continue;
            }

            // Read once more after the step ended: its last flush lands before the result is recorded.
            if (finished)
            {
                return;
            }

            await Task.Delay(s_followPoll, context.RequestAborted);
        }
    }

    // A compute target that keeps its own logs (Batch: node files while running, uploaded blobs after) is read
    // through its source: the whole log from the offset, or followed until the attempt ends.
    private static async Task ServeFromSourceAsync(
        HttpContext context, IStepLogSource source, string runId, StepKey key, int attempt, string stream, long offset, bool follow)
    {
        var stderr = stream == "stderr";
        var abort = context.RequestAborted;
        if (!follow)
        {
            var buffer = new MemoryStream();
            var first = true;
            while (true)
            {
                var chunk = await source.ReadAsync(runId, key.ToString(), attempt, stderr, offset, abort);
                if (chunk is null && first)
                {
                    throw new PipelineRunException(PipelineRunException.NotFound, $"attempt: step '{key}' of run '{runId}' has no {stream} log for attempt {attempt}");
                }

                first = false;
                if (chunk is null || chunk.Content.IsEmpty)
                {
                    break;
                }

                buffer.Write(chunk.Content.Span);
                offset = chunk.NextOffset;
            }

            context.Response.Headers["X-Log-Offset"] = offset.ToString(CultureInfo.InvariantCulture);
            await context.Response.Body.WriteAsync(buffer.ToArray(), abort);
            return;
        }

        context.Response.Headers["X-Log-Offset"] = offset.ToString(CultureInfo.InvariantCulture);
        await context.Response.StartAsync(abort);
        while (!abort.IsCancellationRequested)
        {
            var chunk = await source.ReadAsync(runId, key.ToString(), attempt, stderr, offset, abort);
            if (chunk is { Content.IsEmpty: false })
            {
                await context.Response.Body.WriteAsync(chunk.Content, abort);
                await context.Response.Body.FlushAsync(abort);
                offset = chunk.NextOffset;
                continue;
            }

            // Not submitted yet (null) keeps waiting, unless the run has moved past this attempt.
            if (chunk is { Finished: true } || (chunk is null && await StepFinishedAsync(Runs(context), runId, key, attempt, abort)))
            {
                return;
            }

            await Task.Delay(s_followPoll, abort);
        }
    }

    private static async Task<bool> StepFinishedAsync(PipelineRuns runs, string runId, StepKey key, int attempt, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run.Status is not ("Pending" or "Running"))
        {
            return true;
        }

        var step = run.Steps?.FirstOrDefault(s => s.Key == key.ToString());
        return step is null || step.Attempt > attempt || step.Status is not ("Running" or "Pending");
    }

    private static async Task<byte[]?> ReadFromAsync(BlobClient blob, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (offset >= properties.Value.ContentLength)
            {
                return [];
            }

            var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset) }, cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static long ParseLong(Microsoft.Extensions.Primitives.StringValues value, string name, long fallback)
    {
        var text = NullIfEmpty(value);
        if (text is null)
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new PipelineRunException(PipelineRunException.InvalidArgument, $"{name}: '{text}' is not a non-negative whole number");
    }
}
