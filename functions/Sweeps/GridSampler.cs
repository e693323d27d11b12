namespace Serverless.Sweeps;

/// <summary>
/// Grid search: every combination of the parameters' values, in a fixed order (the last parameter varies
/// fastest). Points already present in the history (running, finished or failed) are not suggested again,
/// so a resumed sweep carries on where it was.
/// </summary>
public sealed class GridSampler : SamplerBase
{
    /// <summary>Largest grid accepted; beyond it a grid is a mistake, not a plan.</summary>
    public const long MaxGridSize = 1_000_000;

    private readonly IReadOnlyList<IReadOnlyList<object?>> _axes;

    /// <summary>Creates a grid sampler; throws when a parameter is continuous or the grid is too large.</summary>
    public GridSampler(SweepConfig config)
        : base(config)
    {
        var continuous = config.Parameters.Where(p => !p.IsDiscrete).Select(p => p.Name).ToList();
        if (continuous.Count > 0)
        {
            throw new ArgumentException($"grid search needs 'values', 'value' or a q step for every parameter; continuous: {string.Join(", ", continuous)}", nameof(config));
        }

        var size = config.GridSize();
        if (size > MaxGridSize)
        {
            throw new ArgumentException($"the grid has {size} points, more than the {MaxGridSize} allowed", nameof(config));
        }

        _axes = [.. config.Parameters.Select(p => p.EnumerateValues())];
        Size = size;
    }

    /// <summary>Number of points in the grid.</summary>
    public long Size { get; }

    /// <summary>Every grid point in order.</summary>
    public IEnumerable<ParameterSet> Enumerate()
    {
        for (long index = 0; index < Size; index++)
        {
            yield return PointAt(index);
        }
    }

    /// <inheritdoc />
    protected override ParameterSet? SuggestOne(SweepState history, SweepRandom random)
    {
        var seen = new HashSet<string>(history.Trials.Select(t => t.Parameters.CanonicalKey()), StringComparer.Ordinal);
        for (long index = 0; index < Size; index++)
        {
            var point = PointAt(index);
            if (!seen.Contains(point.CanonicalKey()))
            {
                return point;
            }
        }

        return null;
    }

    private ParameterSet PointAt(long index)
    {
        var values = new KeyValuePair<string, object?>[_axes.Count];
        for (var i = _axes.Count - 1; i >= 0; i--)
        {
            var axis = _axes[i];
            values[i] = new(Config.Parameters[i].Name, axis[(int)(index % axis.Count)]);
            index /= axis.Count;
        }

        return new ParameterSet(values);
    }
}
