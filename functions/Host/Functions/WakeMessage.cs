using System.Text.Json;

namespace Serverless.Host.Functions;

/// <summary>The body of a wake-up message: only why and when; the message's presence is the signal.</summary>
/// <param name="Reason">What posted it (<c>request</c>, <c>work-remaining</c>).</param>
/// <param name="SentAt">When it was posted (UTC).</param>
public sealed record WakeMessage(string Reason, DateTimeOffset SentAt)
{
    /// <summary>The message text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, FunctionsJson.Options);
}
