using Serverless.Testing;

namespace Serverless.Infra.Tests;

/// <summary>
/// Copies <c>infra/</c> to a temporary folder (bicep writes snapshots next to the parameter files) and
/// runs every bicep command once; the tests read the results.
/// </summary>
public sealed class InfraFixture : IAsyncLifetime
{
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000000";
    public const string Location = "westeurope";
    public static readonly string[] Environments = ["dev", "prod"];

    public string InfraCopy { get; } = Path.Combine(Path.GetTempPath(), "infra-tests-" + Guid.NewGuid().ToString("N"));

    internal BicepResult Build { get; private set; } = null!;

    internal BicepResult Lint { get; private set; } = null!;

    internal Dictionary<string, BicepResult> BuildParams { get; } = [];

    internal Dictionary<string, BicepResult> LintParams { get; } = [];

    internal Dictionary<string, BicepResult> Snapshots { get; } = [];

    public async Task InitializeAsync()
    {
        CopyDirectory(Path.Combine(RepoPaths.Root, "infra"), InfraCopy);
        Build = await BicepCli.RunAsync(InfraCopy, "build", "main.bicep", "--stdout");
        Lint = await BicepCli.RunAsync(InfraCopy, "lint", "main.bicep");
        foreach (var env in Environments)
        {
            var file = $"env/{env}.bicepparam";
            BuildParams[env] = await BicepCli.RunAsync(InfraCopy, "build-params", file, "--stdout");
            LintParams[env] = await BicepCli.RunAsync(InfraCopy, "lint", file);
            Snapshots[env] = await SnapshotAsync(InfraCopy, env);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(InfraCopy, recursive: true);
        return Task.CompletedTask;
    }

    public string SnapshotPath(string env) => Path.Combine(InfraCopy, "env", $"{env}.snapshot.json");

    internal static Task<BicepResult> SnapshotAsync(string infraDir, string env) =>
        BicepCli.RunAsync(infraDir, "snapshot", $"env/{env}.bicepparam", "--mode", "overwrite",
            "--subscription-id", SubscriptionId, "--location", Location, "--deployment-name", "main");

    internal static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".snapshot.json", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
