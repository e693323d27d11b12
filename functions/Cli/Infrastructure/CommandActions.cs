using System.CommandLine;
using Serverless.Cli.Output;

namespace Serverless.Cli.Infrastructure;

/// <summary>Binds a command to an action that receives a <see cref="CommandContext"/>.</summary>
internal static class CommandActions
{
    /// <summary>Sets <paramref name="action"/> as the command's action; it returns the exit code.</summary>
    public static Command WithAction(this Command command, Func<CommandContext, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction(async (parseResult, ct) =>
        {
            using var context = new CommandContext(parseResult, new CliOutput(GlobalOptions.Format(parseResult)), ct);
            return await action(context);
        });
        return command;
    }

    /// <summary>Adds children and returns the command (for building trees inline).</summary>
    public static Command With(this Command command, params Symbol[] children)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var child in children)
        {
            switch (child)
            {
                case Command c:
                    command.Add(c);
                    break;
                case Option o:
                    command.Add(o);
                    break;
                case Argument a:
                    command.Add(a);
                    break;
                default:
                    throw new ArgumentException($"unsupported symbol {child.GetType().Name}", nameof(children));
            }
        }

        return command;
    }
}
