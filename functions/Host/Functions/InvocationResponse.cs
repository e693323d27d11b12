namespace Serverless.Host.Functions;

/// <summary>
/// What the handler answers to an invocation: output binding values by binding name, log lines the
/// host writes to its own logs, and the function's return value.
/// </summary>
public sealed class InvocationResponse
{
    /// <summary>Output binding values by binding name (a queue output takes a string message).</summary>
    public Dictionary<string, object?> Outputs { get; init; } = [];

    /// <summary>Lines the Functions host logs for this invocation.</summary>
    public List<string> Logs { get; init; } = [];

    /// <summary>Bound to <c>$return</c> when the function declares one; informational otherwise.</summary>
    public object? ReturnValue { get; set; }
}
