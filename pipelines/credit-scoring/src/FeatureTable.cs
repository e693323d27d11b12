using System.Globalization;
using System.Text;

namespace Serverless.CreditScoring;

/// <summary>An encoded data set: a label (true = bad) and a feature vector per row, stored as CSV.</summary>
internal sealed record FeatureTable(IReadOnlyList<string> FeatureNames, IReadOnlyList<bool> Labels, IReadOnlyList<float[]> Features)
{
    public int Count => Labels.Count;

    public void Save(string path)
    {
        var sb = new StringBuilder();
        sb.Append("Label,").AppendJoin(',', FeatureNames).Append('\n');
        for (var i = 0; i < Count; i++)
        {
            sb.Append(Labels[i] ? '1' : '0');
            foreach (var f in Features[i])
            {
                sb.Append(',').Append(f.ToString("R", CultureInfo.InvariantCulture));
            }

            sb.Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
    }

    public static FeatureTable Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new StepFailedException($"feature table not found: {path}");
        }

        var lines = File.ReadAllLines(path);
        var names = lines[0].Split(',').Skip(1).ToList();
        var labels = new List<bool>();
        var features = new List<float[]>();
        for (var n = 1; n < lines.Length; n++)
        {
            if (lines[n].Length == 0)
            {
                continue;
            }

            var cells = lines[n].Split(',');
            if (cells.Length != names.Count + 1)
            {
                throw new StepFailedException($"{path}:{n + 1}: expected {names.Count + 1} fields but found {cells.Length}");
            }

            labels.Add(cells[0] == "1");
            features.Add(cells.Skip(1).Select(c => float.Parse(c, CultureInfo.InvariantCulture)).ToArray());
        }

        return new FeatureTable(names, labels, features);
    }
}
