namespace Serverless.Sweeps.Orchestration;

/// <summary>The swept metric.</summary>
/// <param name="Name">The logged metric's name.</param>
/// <param name="Goal"><c>minimize</c> or <c>maximize</c>.</param>
public sealed record SweepMetricView(string Name, string Goal);
