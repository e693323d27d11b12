namespace Serverless.Tracking.Client;

/// <summary>A dataset used as input to a run, with input tags such as <c>mlflow.data.context</c>.</summary>
public sealed record DatasetInput
{
    /// <summary>Input tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>The dataset.</summary>
    public required Dataset Dataset { get; init; }
}
