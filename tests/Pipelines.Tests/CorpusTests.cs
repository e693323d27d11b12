using Serverless.Pipelines.Parsing;

namespace Serverless.Pipelines.Tests;

/// <summary>
/// Every file in Corpus/ ends with comment lines stating exactly the diagnostics the parser must report
/// (<c># expect: LINE:COL: message</c>), or <c># expect-valid</c>.
/// </summary>
public sealed class CorpusTests
{
    private static readonly string s_corpus = Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(s_corpus, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parse_CorpusFile_ReportsExactlyTheExpectedDiagnostics(string name)
    {
        var text = File.ReadAllText(Path.Combine(s_corpus, name));
        var lines = text.Split('\n');
        var expected = lines
            .Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal))
            .Select(l => $"Corpus/{name}:" + l["# expect: ".Length..].TrimEnd())
            .ToList();
        var expectValid = lines.Any(l => l.TrimEnd() == "# expect-valid");
        Assert.True(expectValid ^ (expected.Count > 0), $"{name} must state '# expect-valid' or at least one '# expect:' line");

        var result = PipelineParser.Parse(text, $"Corpus/{name}");

        Assert.Equal(string.Join("\n", expected), string.Join("\n", result.Diagnostics.Select(d => d.ToString())));
        Assert.Equal(expectValid, result.IsValid);
        Assert.Equal(expectValid, result.Definition is not null);
    }
}
