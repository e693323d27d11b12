namespace Serverless.Sweeps.Orchestration.Tests;

/// <summary>One step of the toy objective: which trial, where to log, and the trial's values.</summary>
internal sealed record ToyStep(string Instance, string? RunId, int Step, double X, long Y, double Scale);
