using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Serverless.Cli.Output;

/// <summary>
/// Where a command writes: results to stdout (tables or one JSON document), progress and errors to
/// stderr, so <c>--output json</c> stays machine-readable.
/// </summary>
internal sealed class CliOutput
{
    /// <summary>The serializer settings of every JSON document the CLI prints: camelCase, indented, NaN allowed.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly TextWriter _error;

    /// <summary>Creates the output over the process's console.</summary>
    public CliOutput(OutputFormat format, TextWriter? stdout = null, TextWriter? stderr = null, bool? interactive = null)
    {
        Format = format;
        var writer = stdout ?? System.Console.Out;
        _error = stderr ?? System.Console.Error;
        Interactive = interactive ?? (stdout is null && !System.Console.IsOutputRedirected);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!Interactive)
        {
            // Redirected output has no width; a wide fixed one keeps ids and URIs on one line for grep.
            Console.Profile.Width = 240;
        }
    }

    /// <summary>The chosen format.</summary>
    public OutputFormat Format { get; }

    /// <summary>True for <c>--output json</c>.</summary>
    public bool IsJson => Format == OutputFormat.Json;

    /// <summary>True when stdout is a terminal (live displays and colours).</summary>
    public bool Interactive { get; }

    /// <summary>The Spectre console over stdout.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Prints a JSON document on stdout.</summary>
    public void Json(JsonNode? node) => Console.Profile.Out.Writer.WriteLine(node?.ToJsonString(JsonOptions) ?? "null");

    /// <summary>Serializes <paramref name="value"/> and prints it on stdout.</summary>
    public void Json<T>(T value) => Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Prints a renderable (table) on stdout.</summary>
    public void Write(IRenderable renderable) => Console.Write(renderable);

    /// <summary>Prints a plain line on stdout (no markup).</summary>
    public void Line(string text) => Console.Profile.Out.Writer.WriteLine(text);

    /// <summary>Prints a line on stderr: progress notes and messages that must not pollute JSON output.</summary>
    public void Note(string text) => _error.WriteLine(text);

    /// <summary>Prints a result line: on stdout in table mode, on stderr in JSON mode.</summary>
    public void Result(string text)
    {
        if (IsJson)
        {
            Note(text);
        }
        else
        {
            Line(text);
        }
    }
}
