using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Pipelines.Definition;

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
        byte[] zip;
        IReadOnlyList<string> paths;
        try
        {
            (zip, paths) = PipelineZip.Create(folder.Folder, folder.Result.Definition!);
        }
        catch (PipelineValidationException ex)
        {
            throw new CliException($"{folder.DisplayPath}: a build input cannot be packaged", ExitCodes.Error, ex.Diagnostics.Select(d => d.ToString()).ToList());
        }

        ctx.Output.Note($"uploading {name}: {paths.Count} file{(paths.Count == 1 ? string.Empty : "s")}, {zip.Length / 1024.0:0.#} KiB");
        return await ctx.Platform.PutBytesAsync($"api/pipelines/{PlatformClient.Segment(name)}/package", zip, "application/zip", ctx.CancellationToken);
    }
}
