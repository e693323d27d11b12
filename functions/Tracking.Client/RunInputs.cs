namespace Serverless.Tracking.Client;

/// <summary>A run's inputs.</summary>
public sealed record RunInputs
{
    /// <summary>Datasets logged with <c>log_input</c>.</summary>
    public IReadOnlyList<DatasetInput>? DatasetInputs { get; init; }
}
