namespace Serverless.Tracking.Client;

/// <summary>A run parameter. Once logged, its value cannot change.</summary>
/// <param name="Key">Parameter key.</param>
/// <param name="Value">Parameter value, always a string on the wire.</param>
public sealed record Param(string Key, string Value);
