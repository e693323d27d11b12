namespace Serverless.Tracking.Client;

/// <summary>A key/value tag on an experiment, run, registered model or model version.</summary>
/// <param name="Key">Tag key.</param>
/// <param name="Value">Tag value; may be empty.</param>
public sealed record Tag(string Key, string Value);
