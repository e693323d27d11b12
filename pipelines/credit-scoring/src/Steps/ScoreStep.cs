using System.Globalization;
using System.Text;

namespace Serverless.CreditScoring.Steps;

/// <summary>Scores raw applicants with a saved model directory: the proof that the artifact loads.</summary>
internal static class ScoreStep
{
    public static readonly string[] Options = ["model", "input", "output"];

    public static async Task<float[]> RunAsync(StepArguments args)
    {
        var modelDir = args.Required("model");
        var bundle = ModelBundle.Load(modelDir);
        var input = args.Optional("input") ?? Path.Combine(modelDir, ModelBundle.SampleFile);
        var records = CreditDataReader.Read(input);
        var probabilities = bundle.Score(records);
        var csv = new StringBuilder("line,probability_bad\n");
        for (var i = 0; i < records.Count; i++)
        {
            csv.Append(records[i].Line).Append(',').Append(probabilities[i].ToString("0.000000", CultureInfo.InvariantCulture)).Append('\n');
        }

        if (args.Optional("output") is { } output)
        {
            await File.WriteAllTextAsync(output, csv.ToString());
        }
        else
        {
            Console.Write(csv.ToString());
        }

        return probabilities;
    }
}
