using Serverless.Orchestration.AzureStorage;

namespace Serverless.Host.Functions;

/// <summary>
/// <c>Serverless.Host generate-functions &lt;dir&gt; [--Serverless:Orchestration:TaskHubName=hub]</c>:
/// writes the function folders for publishing and exits without starting the host.
/// </summary>
public static class GenerateFunctionsCommand
{
    /// <summary>The command's first argument.</summary>
    public const string Verb = "generate-functions";

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"usage: Serverless.Host {Verb} <output-directory> [--Serverless:Orchestration:TaskHubName=<hub>]");
            return 2;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args[2..]).Build();
        var hub = new TaskHubOptions();
        configuration.GetSection(TaskHubOptions.SectionName).Bind(hub);
        try
        {
            hub.Validate();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"{Verb}: {TaskHubOptions.SectionName}: {ex.Message}");
            return 2;
        }

        var written = FunctionFolderWriter.Write(new FunctionCatalog(hub), args[1]);
        Console.WriteLine($"{Verb}: wrote {written.Count} function folders to {Path.GetFullPath(args[1])}");
        return 0;
    }
}
