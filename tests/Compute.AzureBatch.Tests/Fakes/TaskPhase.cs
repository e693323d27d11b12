namespace Serverless.Compute.AzureBatch.Tests.Fakes;

/// <summary>One state a fake task reports; a script of phases plays one per GET.</summary>
internal sealed record TaskPhase(
    string State,
    string? Result = null,
    int? ExitCode = null,
    string? Category = null,
    string? Code = null,
    string? Message = null,
    int RetryCount = 0,
    int RequeueCount = 0,
    TimeSpan? RanFor = null);
