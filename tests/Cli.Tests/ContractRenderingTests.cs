using System.Text.Json.Nodes;
using Serverless.Cli.Commands;
using Serverless.Cli.Output;

namespace Serverless.Cli.Tests;

/// <summary>
/// Rendering of the sweep and schedule documents as the API contract specifies them (the host does not map
/// those APIs yet, so these check the CLI's side of the wire format).
/// </summary>
public class ContractRenderingTests
{
    [Fact]
    public void SweepRender_ContractDocument_LeaderboardBestFirstAndImportance()
    {
        var sweep = JsonNode.Parse("""
            {"method":"tpe","metric":{"name":"auc","goal":"maximize"},"status":"Running",
             "trials":[
               {"number":4,"params":{"lr":0.05,"depth":6},"status":"Succeeded","value":0.912345678,"step":10,"trackingRunId":"t4"},
               {"number":1,"params":{"lr":0.3,"depth":3},"status":"Stopped","value":0.71,"step":2,"trackingRunId":"t1"},
               {"number":5,"params":{"lr":0.01},"status":"Running","value":null,"step":null,"trackingRunId":"t5"}],
             "best":{"number":4,"params":{"lr":0.05,"depth":6},"value":0.912345678},
             "importance":{"lr":0.2,"depth":0.8}}
            """)!;
        var stdout = new StringWriter();
        var output = new CliOutput(OutputFormat.Table, stdout, new StringWriter(), interactive: false);

        output.Write(SweepCommands.Render(sweep, top: 2));

        var lines = stdout.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains("Metric:", StringComparison.Ordinal) && l.Contains("auc (maximize)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Best:", StringComparison.Ordinal) && l.Contains("#4 0.912346", StringComparison.Ordinal));
        Assert.Matches(@"#\s+STATUS\s+AUC\s+STEP\s+lr\s+depth", stdout.ToString());
        var trial4 = Array.FindIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*4\s+Succeeded\s+0\.912346\s+10\s+0\.05\s+6"));
        var trial1 = Array.FindIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*1\s+Stopped\s+0\.71\s+2\s+0\.3\s+3"));
        Assert.True(trial4 >= 0 && trial1 > trial4, stdout.ToString());
        Assert.DoesNotContain(lines, l => l.Contains("Running  ", StringComparison.Ordinal) && l.TrimStart().StartsWith('5'));
        var depth = Array.FindIndex(lines, l => l.Contains("depth", StringComparison.Ordinal) && l.Contains("0.800", StringComparison.Ordinal));
        var lr = Array.FindIndex(lines, l => l.Contains("lr", StringComparison.Ordinal) && l.Contains("0.200", StringComparison.Ordinal));
        Assert.True(depth >= 0 && lr > depth, stdout.ToString());
    }
}
