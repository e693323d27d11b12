namespace Serverless.Tracking.Client;

/// <summary>A run: metadata, latest data and inputs.</summary>
public sealed record Run
{
    /// <summary>Metadata.</summary>
    public required RunInfo Info { get; init; }

    /// <summary>Latest metrics, params and tags.</summary>
    public RunData? Data { get; init; }

    /// <summary>Datasets.</summary>
    public RunInputs? Inputs { get; init; }
}
