namespace Serverless.Compute.AzureBatch.Models;

/// <summary>An environment variable of the task (values are not shell-expanded).</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Value">The value.</param>
public sealed record BatchEnvironmentSetting(string Name, string? Value);
