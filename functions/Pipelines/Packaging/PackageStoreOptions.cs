namespace Serverless.Pipelines.Packaging;

/// <summary>Where pipeline packages are kept.</summary>
public sealed class PackageStoreOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Serverless:Pipelines:Packages";

    /// <summary>The blob container holding packages (created on first publish).</summary>
    public string ContainerName { get; set; } = "pipeline-packages";

    /// <summary>How long a package's build command may run.</summary>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
