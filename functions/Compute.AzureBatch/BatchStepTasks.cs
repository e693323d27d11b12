using System.Globalization;
using Serverless.Compute.AzureBatch.Models;

namespace Serverless.Compute.AzureBatch;

/// <summary>
/// Builds the task body of a step attempt: the step's image and command under <c>/bin/bash -c</c>,
/// inputs as resource files, outputs (on success) and stdout/stderr (always) uploaded to Blob.
/// </summary>
/// <remarks>
/// The layout matches the local executor's: the command runs in the task working directory with
/// <c>SERVERLESS_INPUTS</c> and <c>SERVERLESS_OUTPUTS</c> (directories), <c>SERVERLESS_INPUT_NAME</c> (an
/// input artifact's path, <c>inputs/NAME</c>) and <c>SERVERLESS_OUTPUT_NAME</c> (where to write each output,
/// <c>outputs/NAME</c>) set to absolute paths inside the container.
/// </remarks>
public static class BatchStepTasks
{
    /// <summary>The environment variable naming the inputs directory inside the task.</summary>
    public const string InputsDirVariable = "SERVERLESS_INPUTS";

    /// <summary>The environment variable naming the outputs directory inside the task.</summary>
    public const string OutputsDirVariable = "SERVERLESS_OUTPUTS";

    /// <summary>Creates the task body.</summary>
    /// <exception cref="ArgumentException">The request is incomplete or contradictory; the message names the field.</exception>
    public static BatchTaskSpec Create(BatchStepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var identity = request.IdentityResourceId is { Length: > 0 } id ? new BatchIdentityReference(id) : null;
        var task = new BatchTaskSpec
        {
            Id = request.TaskId,
            CommandLine = BashCommand.Wrap(Script(request)),
            ContainerSettings = new BatchContainerSettings
            {
                ImageName = request.Image,
                ContainerRunOptions = request.ContainerRunOptions,
                WorkingDirectory = "taskWorkingDirectory",
                Registry = request.RegistryServer is { Length: > 0 } server
                    ? new BatchContainerRegistry { RegistryServer = server, IdentityReference = identity }
                    : null,
            },
            ResourceFiles = request.Inputs.Select(input => ToResourceFile(input, identity)).ToList(),
            OutputFiles = OutputFiles(request, identity),
            EnvironmentSettings = request.Environment
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => new BatchEnvironmentSetting(e.Key, e.Value))
                .ToList(),
            Constraints = new BatchTaskConstraints
            {
                MaxWallClockTime = request.Timeout,
                RetentionTime = request.RetentionTime,
                MaxTaskRetryCount = request.MaxTaskRetryCount,
            },
            // Images commonly expect root (pip caches, /opt); a pool-scoped admin auto-user gives it.
            UserIdentity = new BatchUserIdentity(new BatchAutoUserSpecification(BatchAutoUserScope.Pool, BatchElevationLevel.Admin)),
        };
        return task;
    }

    private static string Script(BatchStepRequest request)
    {
        // Paths are exported by the script because only the shell inside the task knows AZ_BATCH_TASK_WORKING_DIR;
        // environmentSettings values are not expanded.
        var exports = new List<string>
        {
            $"{InputsDirVariable}=\"$AZ_BATCH_TASK_WORKING_DIR/inputs\"",
            $"{OutputsDirVariable}=\"$AZ_BATCH_TASK_WORKING_DIR/outputs\"",
        };
        exports.AddRange(request.Inputs.Select(i => i.Name).Distinct(StringComparer.Ordinal)
            .Select(name => $"SERVERLESS_INPUT_{name.ToUpperInvariant()}=\"$AZ_BATCH_TASK_WORKING_DIR/inputs/{name}\""));
        exports.AddRange(request.OutputNames.Select(o => $"SERVERLESS_OUTPUT_{o.ToUpperInvariant()}=\"$AZ_BATCH_TASK_WORKING_DIR/outputs/{o}\""));
        return $"export {string.Join(' ', exports)}; cd \"$AZ_BATCH_TASK_WORKING_DIR\" && {UnstageFolders(request)}mkdir -p \"${OutputsDirVariable}\" && {request.Command}";
    }

    private static string UnstageFolders(BatchStepRequest request)
    {
        // Batch downloads a container input to filePath/<full blob name>, keeping the whole prefix as folders;
        // the step expects the folder's content at inputs/NAME, so the prefix folder is moved there first.
        var script = new System.Text.StringBuilder();
        foreach (var input in request.Inputs.Where(i => string.IsNullOrEmpty(i.BlobUrl)))
        {
            var staged = StagingPath(input) + "/" + (input.BlobPrefix ?? string.Empty).Trim('/');
            var source = BashCommand.Quote(staged.TrimEnd('/'));
            var target = BashCommand.Quote(input.TargetPath);
            script.Append(CultureInfo.InvariantCulture, $"mkdir -p \"$(dirname {target})\" && if [ -d {source} ]; then mv {source} {target}; else mkdir -p {target}; fi && ");
        }

        return script.ToString();
    }

    private static string StagingPath(BatchStepInput input) => ".staging/" + input.TargetPath;

    private static BatchResourceFile ToResourceFile(BatchStepInput input, BatchIdentityReference? identity) =>
        input.BlobUrl is { Length: > 0 } blob
            ? new BatchResourceFile
            {
                HttpUrl = blob,
                FilePath = input.TargetPath,
                IdentityReference = identity,
            }
            : new BatchResourceFile
            {
                StorageContainerUrl = input.ContainerUrl,
                BlobPrefix = input.BlobPrefix,
                FilePath = StagingPath(input),
                IdentityReference = identity,
            };

    private static List<BatchOutputFile> OutputFiles(BatchStepRequest request, BatchIdentityReference? identity)
    {
        if (request.OutputContainerUrl is not { Length: > 0 } container)
        {
            return [];
        }

        var prefix = (request.OutputPath ?? request.TaskId).TrimEnd('/');
        BatchOutputFile Spec(string pattern, string path, BatchUploadCondition condition) => new()
        {
            FilePattern = pattern,
            Destination = new(new BatchOutputContainer { ContainerUrl = container, Path = path, IdentityReference = identity }),
            UploadOptions = new(condition),
        };
        return
        [
            Spec("outputs/**/*", prefix + "/outputs", BatchUploadCondition.TaskSuccess),
            // stdout.txt and stderr.txt sit one level above the working directory.
            Spec("../std*.txt", prefix + "/logs", BatchUploadCondition.TaskCompletion),
        ];
    }

    private static void Validate(BatchStepRequest request)
    {
        Require(request.TaskId, nameof(request.TaskId));
        Require(request.Image, nameof(request.Image));
        Require(request.Command, nameof(request.Command));
        if (request.TaskId.Length > BatchIds.MaxLength || request.TaskId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            Fail(nameof(request.TaskId), $"'{request.TaskId}' is not a valid Batch id; use BatchIds.ForTask.");
        }

        if (request.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            Fail(nameof(request.Timeout), $"must be positive, got {timeout}.");
        }

        if (request.MaxTaskRetryCount < -1)
        {
            Fail(nameof(request.MaxTaskRetryCount), "must be -1 (unlimited) or more.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"Inputs[{i}]");
            if (!IsIdentifier(input.Name))
            {
                Fail(field + ".Name", $"'{input.Name}' must be an identifier (letters, digits, '_'), as it names a path and an environment variable.");
            }

            if (!names.Add(input.TargetPath))
            {
                Fail(field + ".Name", $"'{input.Name}' is used by another input{(input.Index is { } index ? $" with index {index}" : string.Empty)}.");
            }

            if (input.Index is < 0)
            {
                Fail(field + ".Index", $"must not be negative, got {input.Index}.");
            }

            var hasBlob = !string.IsNullOrWhiteSpace(input.BlobUrl);
            var hasContainer = !string.IsNullOrWhiteSpace(input.ContainerUrl);
            if (hasBlob == hasContainer)
            {
                Fail(field, $"input '{input.Name}' must set exactly one of BlobUrl or ContainerUrl.");
            }

            RequireHttpsUrl(hasBlob ? input.BlobUrl! : input.ContainerUrl!, field + (hasBlob ? ".BlobUrl" : ".ContainerUrl"));
        }

        for (var i = 0; i < request.OutputNames.Count; i++)
        {
            if (!IsIdentifier(request.OutputNames[i]))
            {
                Fail(string.Create(CultureInfo.InvariantCulture, $"OutputNames[{i}]"), $"'{request.OutputNames[i]}' must be an identifier (letters, digits, '_').");
            }
        }

        if (request.OutputContainerUrl is { Length: > 0 } output)
        {
            RequireHttpsUrl(output, nameof(request.OutputContainerUrl));
        }

        var usesBlob = request.Inputs.Count > 0 || !string.IsNullOrEmpty(request.OutputContainerUrl);
        if ((usesBlob || !string.IsNullOrEmpty(request.RegistryServer)) && string.IsNullOrWhiteSpace(request.IdentityResourceId))
        {
            Fail(nameof(request.IdentityResourceId), "is required to read inputs, write outputs or pull from a registry: set the pool's user-assigned identity.");
        }

        foreach (var name in request.Environment.Keys)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains('=', StringComparison.Ordinal))
            {
                Fail("Environment", $"'{name}' is not a valid variable name.");
            }
        }
    }

    private static bool IsIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static void RequireHttpsUrl(string url, string field)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            Fail(field, $"'{url}' must be an absolute https URL.");
        }
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail(field, "is required.");
        }
    }

    private static void Fail(string field, string problem) =>
        throw new ArgumentException($"Batch step request {field}: {problem}", field);
}
