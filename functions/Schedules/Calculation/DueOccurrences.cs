namespace Serverless.Schedules.Calculation;

/// <summary>The occurrences to fire at a wake-up, and how many were passed over.</summary>
/// <param name="ToFire">Occurrences to start, oldest first (UTC).</param>
/// <param name="Missed">Occurrences in the period that the catch-up policy drops.</param>
public sealed record DueOccurrences(IReadOnlyList<DateTime> ToFire, int Missed)
{
    /// <summary>Nothing due.</summary>
    public static DueOccurrences Nothing { get; } = new([], 0);
}
