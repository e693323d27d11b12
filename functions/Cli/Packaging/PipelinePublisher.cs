using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;

namespace Serverless.Cli.Packaging;

/// <summary>Validates, zips and uploads a local pipeline folder: <c>PUT /api/pipelines/{name}/package</c>.</summary>
internal static class PipelinePublisher
{
    /// <summary>Publishes the folder and returns the server's answer (<c>pipeline</c>, <c>version</c>, <c>created</c>, digests).</summary>
    /// <exception cref="CliException">The pipeline is invalid locally or the server refused it.</exception>
    public static async Task<JsonNode> PublishAsync(CommandContext ctx, PipelineFolder folder)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(folder);
        folder.EnsureValid();
        var name = folder.Result.Definition!.Name;
        var (zip, paths) = PipelineZip.Create(folder.Folder);
        ctx.Output.Note($"uploading {name}: {paths.Count} file{(paths.Count == 1 ? string.Empty : "s")}, {zip.Length / 1024.0:0.#} KiB");
        return await ctx.Platform.PutBytesAsync($"api/pipelines/{PlatformClient.Segment(name)}/package", zip, "application/zip", ctx.CancellationToken);
    }
}
