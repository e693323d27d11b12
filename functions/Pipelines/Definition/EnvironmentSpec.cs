namespace Serverless.Pipelines.Definition;

/// <summary>What the step code needs to run: a runtime locally, a container image on Batch.</summary>
public sealed record EnvironmentSpec
{
    /// <summary>The local runtime, e.g. <c>dotnet-10</c> or <c>python-3.12</c> (recorded, checked by the runner).</summary>
    public string? Runtime { get; init; }

    /// <summary>The container image for Batch steps.</summary>
    public string? Image { get; init; }
}
