using System.CommandLine;
using System.Runtime.InteropServices;
using Serverless.Cli.Commands;
using Serverless.Cli.Infrastructure;
using Serverless.Tracking.Client;

namespace Serverless.Cli;

/// <summary>The command tree and the rules every command shares: exit codes, one-line errors, Ctrl+C.</summary>
internal static class CliApp
{
    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("smlops: drive the serverless MLOps platform (pipelines, runs, logs, schedules, sweeps, tracking)")
        {
            GlobalOptions.Server,
            GlobalOptions.Output,
        };
        root.Add(ValidateCommand.Create());
        root.Add(RunCommands.Create());
        root.Add(LogsCommand.Create());
        root.Add(PipelineCommands.Create());
        root.Add(ExperimentCommands.Create());
        root.Add(TrackingRunCommands.Create());
        root.Add(ModelCommands.Create());
        root.Add(ScheduleCommands.Create());
        root.Add(SweepCommands.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? stderr = null)
    {
        stderr ??= Console.Error;
        var parseResult = BuildRoot().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // The parser's own report prints the whole help after the errors; one line per problem and a
            // pointer to --help reads better in a script's log.
            foreach (var error in parseResult.Errors)
            {
                stderr.WriteLine($"smlops: error: {OneLine(error.Message)}");
            }

            stderr.WriteLine($"Run '{CommandPath(parseResult)} --help' for usage.");
            return ExitCodes.Usage;
        }

        // Ctrl+C (and SIGTERM) cancel the token instead of killing the process, so --follow can stop
        // cleanly and, with --cancel-on-interrupt, still cancel the run before exiting.
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            interrupt.Cancel();
        });
        try
        {
            var configuration = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parseResult.InvokeAsync(configuration, interrupt.Token);
        }
        catch (CliException e)
        {
            stderr.WriteLine($"smlops: error: {e.Message}");
            foreach (var line in e.Details)
            {
                stderr.WriteLine(line);
            }

            return e.ExitCode;
        }
        catch (MlflowException e)
        {
            stderr.WriteLine($"smlops: error: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Error;
        }
        catch (HttpRequestException e)
        {
            var server = ServerSettings.Resolve(parseResult.GetValue(GlobalOptions.Server)).BaseAddress;
            stderr.WriteLine($"smlops: error: {PlatformClient.Unreachable(server, e).Message}");
            return ExitCodes.Error;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            stderr.WriteLine("smlops: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // Last resort: still one line, never a stack trace.
            stderr.WriteLine($"smlops: error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Error;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        if (names.Count > 0)
        {
            names[0] = "smlops";
        }

        return string.Join(' ', names);
    }
}
