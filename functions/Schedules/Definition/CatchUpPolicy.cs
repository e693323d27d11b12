namespace Serverless.Schedules.Definition;

/// <summary>The catch-up policy of a schedule.</summary>
/// <param name="Mode">Which missed occurrences fire.</param>
/// <param name="Window">For <see cref="CatchUpMode.All"/>: how far back missed occurrences still fire; null means no limit.</param>
public sealed record CatchUpPolicy(CatchUpMode Mode, TimeSpan? Window = null)
{
    /// <summary>The default: missed occurrences are dropped.</summary>
    public static CatchUpPolicy None { get; } = new(CatchUpMode.None);

    /// <summary>Formats as the YAML spells it, e.g. <c>all(6h)</c>.</summary>
    public override string ToString() => Mode switch
    {
        CatchUpMode.All when Window is { } w => $"all({DurationText.Format(w)})",
        _ => Mode.ToString().ToLowerInvariant(),
    };
}
