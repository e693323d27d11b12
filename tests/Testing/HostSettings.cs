namespace Serverless.Testing;

/// <summary>Configuration that gives a test host its own task hub, tables, containers and folders.</summary>
public static class HostSettings
{
    /// <summary>
    /// Settings isolating a host from every other test's: unique storage names (prefixed with
    /// <paramref name="prefix"/>) and local folders under <paramref name="scratch"/>. Callers add their own
    /// (such as the pipelines source root) on top.
    /// </summary>
    public static Dictionary<string, string> Isolated(string scratch, string prefix = "") => new()
    {
        ["Serverless:Orchestration:TaskHubName"] = TestNames.Unique(prefix + "hub"),
        ["Serverless:Orchestration:PartitionCount"] = "2",
        ["Serverless:Orchestration:WorkerId"] = TestNames.Unique(prefix + "worker"),
        ["Serverless:Tracking:TablePrefix"] = TestNames.Unique(prefix + "t"),
        ["Serverless:Tracking:ArtifactContainer"] = TestNames.Unique(prefix + "mlart"),
        ["Serverless:Pipelines:CacheTable"] = TestNames.Unique(prefix + "cache"),
        ["Serverless:Pipelines:ControlContainer"] = TestNames.Unique(prefix + "ctl"),
        ["Serverless:Pipelines:PackageCacheRoot"] = Path.Combine(scratch, "packages"),
        ["Serverless:Pipelines:AttemptStateRoot"] = Path.Combine(scratch, "attempts"),
        ["Serverless:Pipelines:Local:ArtifactContainer"] = TestNames.Unique(prefix + "art"),
        ["Serverless:Pipelines:Local:WorkRoot"] = Path.Combine(scratch, "work"),
        ["Serverless:Pipelines:Local:KillGracePeriod"] = "00:00:01",
        ["Serverless:Pipelines:Packages:ContainerName"] = TestNames.Unique(prefix + "pkg"),
    };
}
