using Serverless.Cli.Infrastructure;
using Serverless.Pipelines.Packaging;
using Serverless.Pipelines.Parsing;

namespace Serverless.Cli.Packaging;

/// <summary>A pipeline folder (or its <c>pipeline.yaml</c>) named on the command line, parsed locally.</summary>
/// <param name="Folder">The folder holding the definition.</param>
/// <param name="DefinitionPath">The definition file.</param>
/// <param name="DisplayPath">The definition file as the user named it, for messages.</param>
/// <param name="Result">The parse and validation result.</param>
internal sealed record PipelineFolder(string Folder, string DefinitionPath, string DisplayPath, PipelineParseResult Result)
{
    /// <summary>True when <paramref name="argument"/> names a folder or a file rather than a published pipeline.</summary>
    public static bool IsLocal(string argument) =>
        Directory.Exists(argument) || File.Exists(argument)
        || argument.Contains('/', StringComparison.Ordinal) || argument.Contains('\\', StringComparison.Ordinal)
        || argument.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || argument.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads and validates the pipeline at <paramref name="argument"/>.</summary>
    /// <exception cref="CliException">The path does not exist or has no <c>pipeline.yaml</c>.</exception>
    public static PipelineFolder Load(string argument)
    {
        string definitionPath;
        string display;
        if (Directory.Exists(argument))
        {
            definitionPath = Path.Combine(argument, PipelinePackager.DefinitionFileName);
            display = Path.Join(argument.TrimEnd('/', '\\'), PipelinePackager.DefinitionFileName);
            if (!File.Exists(definitionPath))
            {
                throw new CliException($"{argument}: folder has no {PipelinePackager.DefinitionFileName}");
            }
        }
        else if (File.Exists(argument))
        {
            definitionPath = argument;
            display = argument;
        }
        else
        {
            throw new CliException($"{argument}: no such file or folder");
        }

        PipelineParseResult result;
        try
        {
            result = PipelineParser.ParseFile(definitionPath, display);
        }
        catch (IOException e)
        {
            throw new CliException($"{display}: cannot read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException($"{display}: cannot read: {e.Message}");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(definitionPath))!;
        return new PipelineFolder(folder, definitionPath, display, result);
    }

    /// <summary>Throws the diagnostics as a <see cref="CliException"/> when the pipeline is invalid.</summary>
    public PipelineFolder EnsureValid()
    {
        if (!Result.IsValid)
        {
            throw new CliException(
                $"{DisplayPath}: the pipeline is invalid ({Result.Diagnostics.Count} problem{(Result.Diagnostics.Count == 1 ? string.Empty : "s")})",
                ExitCodes.Error,
                Result.Diagnostics.Select(d => d.ToString()).ToList());
        }

        return this;
    }
}
