namespace Serverless.Host.Functions;

/// <summary>
/// A queue-triggered function: the Functions host receives from <see cref="QueueName"/>, POSTs
/// <c>/{Name}</c> with the message, deletes it on success, and scales the app on the queue's length.
/// </summary>
/// <param name="Name">The function (folder) name and invocation path.</param>
/// <param name="QueueName">The queue the trigger reads.</param>
/// <param name="OutputBinding">A queue output binding on the same queue the handler may answer into, or null.</param>
public sealed record QueueFunction(string Name, string QueueName, string? OutputBinding);
