using System.Globalization;

namespace Serverless.CreditScoring;

/// <summary>Reads the credit CSV and checks it against <see cref="CreditSchema"/>, collecting every problem.</summary>
internal static class CreditDataReader
{
    private const int MaxProblems = 20;

    /// <summary>Reads <paramref name="path"/>; throws <see cref="StepFailedException"/> listing the problems on schema drift.</summary>
    public static List<CreditRecord> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new StepFailedException($"data file not found: {path}");
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            throw new StepFailedException($"{path}: the file is empty");
        }

        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        var problems = new List<string>();
        var missing = CreditSchema.Columns.Except(header, StringComparer.Ordinal).ToList();
        var extra = header.Except(CreditSchema.Columns, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            throw new StepFailedException($"{path}:1: schema drift in the header: " +
                string.Join("; ", new[]
                {
                    missing.Count > 0 ? "missing column(s) " + string.Join(", ", missing) : null,
                    extra.Count > 0 ? "unexpected column(s) " + string.Join(", ", extra) : null,
                }.Where(s => s is not null)) +
                $" (expected: {string.Join(",", CreditSchema.Columns)})");
        }

        var index = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        var records = new List<CreditRecord>();
        for (var n = 1; n < lines.Length && problems.Count < MaxProblems; n++)
        {
            if (lines[n].Length == 0)
            {
                continue;
            }

            var cells = lines[n].Split(',');
            var lineNo = n + 1;
            if (cells.Length != header.Length)
            {
                problems.Add($"{path}:{lineNo}: expected {header.Length} fields but found {cells.Length}");
                continue;
            }

            var record = new CreditRecord { Line = lineNo };
            var status = cells[index[CreditSchema.Target]].Trim();
            if (!CreditSchema.Classes.Contains(status))
            {
                problems.Add($"{path}:{lineNo}: column Status: '{status}' is not one of {string.Join(", ", CreditSchema.Classes)}");
            }

            record.Status = status;
            foreach (var column in CreditSchema.Numeric)
            {
                var text = cells[index[column]].Trim();
                if (text.Length == 0)
                {
                    record.Numbers[column] = null;
                }
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    record.Numbers[column] = value;
                }
                else
                {
                    problems.Add($"{path}:{lineNo}: column {column}: '{text}' is not a number");
                }
            }

            foreach (var (column, levels) in CreditSchema.Categories)
            {
                var text = cells[index[column]].Trim();
                if (text.Length == 0)
                {
                    record.Categories[column] = null;
                }
                else if (levels.Contains(text))
                {
                    record.Categories[column] = text;
                }
                else
                {
                    problems.Add($"{path}:{lineNo}: column {column}: unknown category '{text}' (expected one of {string.Join(", ", levels)})");
                }
            }

            records.Add(record);
        }

        if (problems.Count > 0)
        {
            throw new StepFailedException($"schema drift: {problems.Count}{(problems.Count >= MaxProblems ? "+" : string.Empty)} problem(s):{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems));
        }

        return records;
    }
}
