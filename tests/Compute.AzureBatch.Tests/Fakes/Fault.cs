namespace Serverless.Compute.AzureBatch.Tests.Fakes;

/// <summary>
/// An injected failure answered to the next request that matches. <paramref name="ApplyThenAbort"/> carries out a
/// create first and then drops the connection: the change happened, the caller never heard of it.
/// </summary>
internal sealed record Fault(
    Func<RecordedRequest, bool> Match, int Status, string? Code = null, string? RetryAfter = null, bool Abort = false, bool ApplyThenAbort = false);
