using System.CommandLine;
using Serverless.Cli.Output;

namespace Serverless.Cli.Infrastructure;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    /// <summary><c>--server</c>: the platform's address.</summary>
    public static readonly Option<string?> Server = new("--server", "-s")
    {
        Description = $"The platform's address (default: ${ServerSettings.ServerVariable} or {ServerSettings.DefaultServer})",
        Recursive = true,
        HelpName = "url",
    };

    /// <summary><c>--output</c>: table or json.</summary>
    public static readonly Option<string> Output = CreateOutput();

    /// <summary>The output format chosen on the command line.</summary>
    public static OutputFormat Format(ParseResult parseResult) =>
        string.Equals(parseResult.GetValue(Output), "json", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Json : OutputFormat.Table;

    private static Option<string> CreateOutput()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "table (default) or json: one camelCase JSON document on stdout, nothing else",
            Recursive = true,
            DefaultValueFactory = _ => "table",
            HelpName = "format",
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }
}
