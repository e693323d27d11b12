namespace Serverless.Sweeps;

/// <summary>One row of a sweep's leaderboard.</summary>
/// <param name="Rank">1-based rank; trials without a value share the ranks after all valued ones.</param>
/// <param name="Trial">The trial.</param>
public sealed record LeaderboardEntry(int Rank, TrialRecord Trial);
