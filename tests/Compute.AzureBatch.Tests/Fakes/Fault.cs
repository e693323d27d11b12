namespace Serverless.Compute.AzureBatch.Tests.Fakes;

/// <summary>An injected failure answered to the next request that matches.</summary>
internal sealed record Fault(Func<RecordedRequest, bool> Match, int Status, string? Code = null, string? RetryAfter = null, bool Abort = false);
