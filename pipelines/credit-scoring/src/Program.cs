using Serverless.CreditScoring;
using Serverless.CreditScoring.Steps;

// One program, one subcommand per pipeline step. Exit codes: 0 success, 2 the step failed with a reason
// (bad data, gate inputs, missing files), 1 an unexpected error.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: CreditScoring <validate|preprocess|train|evaluate|gate|register|score> [--option value ...]");
    return args.Length == 0 ? 2 : 0;
}

var command = args[0];
var rest = args.Skip(1).ToArray();
try
{
    using var tracking = StepTracking.FromEnvironment();
    switch (command)
    {
        case "validate":
            await ValidateStep.RunAsync(new StepArguments(command, rest, ValidateStep.Options), tracking);
            break;
        case "preprocess":
            await PreprocessStep.RunAsync(new StepArguments(command, rest, PreprocessStep.Options), tracking);
            break;
        case "train":
            await TrainStep.RunAsync(new StepArguments(command, rest, TrainStep.Options), tracking);
            break;
        case "evaluate":
            await EvaluateStep.RunAsync(new StepArguments(command, rest, EvaluateStep.Options), tracking);
            break;
        case "gate":
            await GateStep.RunAsync(new StepArguments(command, rest, GateStep.Options), tracking);
            break;
        case "register":
            await RegisterStep.RunAsync(new StepArguments(command, rest, RegisterStep.Options), tracking);
            break;
        case "score":
            await ScoreStep.RunAsync(new StepArguments(command, rest, ScoreStep.Options));
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown command '{command}'; expected validate, preprocess, train, evaluate, gate, register or score");
            return 2;
    }

    return 0;
}
catch (StepFailedException ex)
{
    await Console.Error.WriteLineAsync($"{command}: {ex.Message}");
    return 2;
}
