using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Testing;

namespace Serverless.Infra.Tests;

public sealed class BicepTests(InfraFixture infra) : IClassFixture<InfraFixture>
{
    /// <summary>Set to 1 to rewrite the committed snapshots from the current Bicep (then review the diff).</summary>
    private const string UpdateVariable = "UPDATE_INFRA_SNAPSHOTS";

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    [Fact]
    public void Build_Main_NoErrorsOrWarnings()
    {
        Assert.True(infra.Build.ExitCode == 0, infra.Build.ToString());
        Assert.True(infra.Build.StandardError.Trim().Length == 0, "bicep build printed diagnostics:\n" + infra.Build.StandardError);
        var template = JsonNode.Parse(infra.Build.StandardOutput)!;
        Assert.Contains("subscriptionDeploymentTemplate", (string?)template["$schema"], StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_Main_Clean()
    {
        Assert.True(infra.Lint.ExitCode == 0, infra.Lint.ToString());
        Assert.DoesNotContain("Warning", infra.Lint.StandardOutput + infra.Lint.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", infra.Lint.StandardOutput + infra.Lint.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void BicepConfig_EveryConfiguredRuleIsAnError()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "bicepconfig.json")))!;
        var rules = config["analyzers"]!["core"]!["rules"]!.AsObject();

        Assert.True(rules.Count >= 20);
        Assert.All(rules, r => Assert.Equal("error", (string?)r.Value!["level"]));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void BuildParams_Environment_CompilesCleanly(string env)
    {
        var result = infra.BuildParams[env];
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.StandardError.Trim().Length == 0, result.ToString());
        var parameters = JsonNode.Parse(result.StandardOutput)!["parametersJson"] is { } inner
            ? JsonNode.Parse((string)inner!)!
            : JsonNode.Parse(result.StandardOutput)!;
        Assert.Equal(env, (string?)parameters["parameters"]!["envName"]!["value"]);
        var lint = infra.LintParams[env];
        Assert.True(lint.ExitCode == 0 && lint.StandardError.Trim().Length == 0, lint.ToString());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Snapshot_Environment_MatchesCommittedSnapshot(string env)
    {
        var result = infra.Snapshots[env];
        Assert.True(result.ExitCode == 0, result.ToString());
        var actual = Normalize(JsonNode.Parse(File.ReadAllText(infra.SnapshotPath(env)))!);
        var committedPath = Path.Combine(RepoPaths.Root, "tests", "Infra.Tests", "Snapshots", $"{env}.snapshot.json");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(committedPath, actual.ToJsonString(s_indented) + "\n");
        }

        Assert.True(File.Exists(committedPath), $"{committedPath} is missing; run the tests with {UpdateVariable}=1 to create it.");
        var committed = JsonNode.Parse(File.ReadAllText(committedPath))!;
        Assert.True(
            JsonNode.DeepEquals(committed, actual),
            $"The predicted resources of {env} changed (first difference at {FirstDifference(committed, actual, "$")}). " +
            $"If intended, run: {UpdateVariable}=1 dotnet test tests/Infra.Tests, and commit tests/Infra.Tests/Snapshots/{env}.snapshot.json.");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Snapshot_Environment_KeepsSecurityAndWiringRules(string env)
    {
        var snapshot = JsonNode.Parse(File.ReadAllText(infra.SnapshotPath(env)))!;

        var problems = InfraPolicy.Check(snapshot);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Empty(snapshot["diagnostics"]!.AsArray());
    }

    [Fact]
    public void Snapshot_Dev_PoolsScaleToZeroOnSpotAndProdOnDedicated()
    {
        string Formula(string env, string pool) => (string)JsonNode.Parse(File.ReadAllText(infra.SnapshotPath(env)))!["predictedResources"]!.AsArray()
            .First(r => ((string?)r!["name"])!.EndsWith("/" + pool, StringComparison.Ordinal))!["properties"]!["scaleSettings"]!["autoScale"]!["formula"]!;

        Assert.Contains("$TargetLowPriorityNodes = $nodes", Formula("dev", "gpu-pool"), StringComparison.Ordinal);
        Assert.Contains("$TargetDedicatedNodes = 0", Formula("dev", "gpu-pool"), StringComparison.Ordinal);
        Assert.Contains("$TargetDedicatedNodes = $nodes", Formula("prod", "gpu-pool"), StringComparison.Ordinal);
        Assert.Contains("min($tasks, 4)", Formula("prod", "gpu-pool"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_BrokenTemplate_ReportsEachBrokenRule()
    {
        // The rules must be able to fail: break a copy of the templates and expect the exact complaints.
        var broken = infra.InfraCopy + "-broken";
        InfraFixture.CopyDirectory(Path.Combine(RepoPaths.Root, "infra"), broken);
        try
        {
            Replace(Path.Combine(broken, "modules", "storage.bicep"), "allowSharedKeyAccess: false", "allowSharedKeyAccess: true");
            Replace(Path.Combine(broken, "modules", "service-roles.bicep"), "'6aaa78f1-f7de-44ca-8722-c64a23943cae'", "'29fe4964-1e60-436b-bd3a-77fd4c178b3c'");
            Replace(Path.Combine(broken, "modules", "functionapp.bicep"), "name: 'custom'", "name: 'dotnet-isolated'");

            var result = await InfraFixture.SnapshotAsync(broken, "dev");
            Assert.True(result.ExitCode == 0, result.ToString());
            var problems = InfraPolicy.Check(JsonNode.Parse(File.ReadAllText(Path.Combine(broken, "env", "dev.snapshot.json")))!);

            Assert.Contains(problems, p => p.Contains("allowSharedKeyAccess must be false", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'Azure Batch Data Contributor' (6aaa78f1", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("runtime must be 'custom'", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }
    }

    /// <summary>Bicep writes the outputs in varying order; sorting them keeps the committed file's diffs meaningful.</summary>
    private static JsonNode Normalize(JsonNode snapshot)
    {
        if (snapshot["outputs"] is JsonObject outputs)
        {
            var sorted = new JsonObject();
            foreach (var (key, value) in outputs.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
            {
                sorted[key] = value?.DeepClone();
            }

            snapshot["outputs"] = sorted;
        }

        return snapshot;
    }

    private static void Replace(string file, string from, string to)
    {
        var text = File.ReadAllText(file);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private static string FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!JsonNode.DeepEquals(e[key], a[key]))
                    {
                        return FirstDifference(e[key], a[key], $"{path}.{key}");
                    }
                }

                break;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    var ei = i < e.Count ? e[i] : null;
                    var ai = i < a.Count ? a[i] : null;
                    if (!JsonNode.DeepEquals(ei, ai))
                    {
                        return FirstDifference(ei, ai, $"{path}[{i}]");
                    }
                }

                break;
        }

        return $"{path}: committed {expected?.ToJsonString() ?? "nothing"}, now {actual?.ToJsonString() ?? "nothing"}";
    }
}
