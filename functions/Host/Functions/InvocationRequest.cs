using System.Text.Json;

namespace Serverless.Host.Functions;

/// <summary>
/// What the Functions host POSTs to <c>/{functionName}</c> for a non-HTTP trigger: the trigger's
/// value by binding name, and the trigger metadata (for a queue: <c>DequeueCount</c>, <c>Id</c>, ...;
/// always <c>sys</c> with <c>MethodName</c>, <c>UtcNow</c>, <c>RandGuid</c>).
/// </summary>
public sealed class InvocationRequest
{
    /// <summary>Input binding values by binding name (<c>timer</c>, <c>message</c>).</summary>
    public Dictionary<string, JsonElement> Data { get; init; } = [];

    /// <summary>Trigger metadata by name.</summary>
    public Dictionary<string, JsonElement> Metadata { get; init; } = [];
}
