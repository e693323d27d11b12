using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Serverless.CreditScoring.Steps;

/// <summary>Checks the raw data against the schema and profiles it (missing counts, class balance, ranges).</summary>
internal static class ValidateStep
{
    public static readonly string[] Options = ["data", "profile", "min-rows", "outputs"];
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static async Task<DataProfile> RunAsync(StepArguments args, StepTracking tracking)
    {
        var data = args.Required("data");
        var records = CreditDataReader.Read(data);
        var minRows = args.Int("min-rows", 100);
        if (records.Count < minRows)
        {
            throw new StepFailedException($"{data}: only {records.Count} rows, fewer than --min-rows {minRows}");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(data)));
        var profile = DataProfile.Of(records, sha);
        if (profile.ClassCounts.Values.Any(c => c == 0))
        {
            throw new StepFailedException($"{data}: only one class of Status present ({string.Join(", ", profile.ClassCounts.Select(kv => $"{kv.Key}={kv.Value}"))})");
        }

        var profilePath = args.Required("profile");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(profilePath))!);
        await File.WriteAllTextAsync(profilePath, JsonSerializer.Serialize(profile, s_json));

        var outputs = StepOutputs.From(args);
        outputs.Write("rows", profile.Rows);
        outputs.Write("bad_rate", profile.BadRate);
        outputs.Write("data_sha256", sha);

        await tracking.LogParamsAsync(new Dictionary<string, string> { ["data_sha256"] = sha, ["rows"] = profile.Rows.ToString(CultureInfo.InvariantCulture) });
        var metrics = new Dictionary<string, double> { ["rows"] = profile.Rows, ["bad_rate"] = profile.BadRate, ["rows_with_missing"] = profile.RowsWithMissing };
        foreach (var (column, count) in profile.MissingCounts.Where(kv => kv.Value > 0))
        {
            metrics["missing_" + column] = count;
        }

        await tracking.LogMetricsAsync(metrics);
        Console.WriteLine($"validated {profile.Rows} rows: bad rate {profile.BadRate:P1}, {profile.RowsWithMissing} rows with missing values");
        return profile;
    }
}
