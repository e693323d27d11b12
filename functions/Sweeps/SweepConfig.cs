namespace Serverless.Sweeps;

/// <summary>
/// A validated sweep definition: how to search, what to optimise, over which parameters, when to stop
/// trials early and how much to spend. Build it from YAML with <see cref="SweepConfigParser"/> or in code,
/// then call <see cref="Validate"/>.
/// </summary>
public sealed record SweepConfig
{
    /// <summary>The search method.</summary>
    public SweepMethod Method { get; init; } = SweepMethod.Random;

    /// <summary>The model used when <see cref="Method"/> is <see cref="SweepMethod.Bayes"/>.</summary>
    public BayesSampler Sampler { get; init; } = BayesSampler.Tpe;

    /// <summary>The metric to optimise; required for bayes and for early termination.</summary>
    public SweepMetric? Metric { get; init; }

    /// <summary>The parameters, with dotted names for nested ones.</summary>
    public IReadOnlyList<ParameterSpec> Parameters { get; init; } = [];

    /// <summary>Hyperband/ASHA early termination, if configured.</summary>
    public HyperbandConfig? Hyperband { get; init; }

    /// <summary>Median stopping, if configured.</summary>
    public MedianStoppingConfig? MedianStopping { get; init; }

    /// <summary>Trial, concurrency, failure and time limits.</summary>
    public SweepLimits Limits { get; init; } = new();

    /// <summary>Seed of every random choice the sweep makes; equal seeds and histories give equal suggestions.</summary>
    public long Seed { get; init; }

    /// <summary>Checks cross-field rules; returns every problem found (empty when valid).</summary>
    public IReadOnlyList<SweepConfigError> Validate(string file = "<code>")
    {
        var errors = new List<SweepConfigError>();
        void Add(string message) => errors.Add(new SweepConfigError(file, 0, 0, message));

        if (Parameters.Count == 0)
        {
            Add("parameters: at least one parameter is required");
        }

        foreach (var dup in Parameters.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Add($"parameters.{dup.Key}: defined more than once");
        }

        if (Method == SweepMethod.Grid)
        {
            foreach (var p in Parameters.Where(p => !p.IsDiscrete))
            {
                Add($"parameters.{p.Name}: grid search needs 'values', 'value' or a q step; distribution {p.Kind} is continuous");
            }
        }

        if (Method == SweepMethod.Bayes && Metric is null)
        {
            Add("metric: bayes search needs a metric to model");
        }

        if ((Hyperband is not null || MedianStopping is not null) && Metric is null)
        {
            Add("metric: early_terminate needs a metric to compare trials on");
        }

        if (Hyperband is not null && Hyperband.Rungs().Count == 0)
        {
            Add("early_terminate: no rung results from these settings; set min_iter, or raise max_iter/s or lower eta");
        }

        if (Hyperband is not null && MedianStopping is not null)
        {
            Add("early_terminate: choose hyperband or median, not both");
        }

        return errors;
    }

    /// <summary>The number of grid points (product of the discrete parameters' value counts), saturating at <see cref="long.MaxValue"/>.</summary>
    public long GridSize()
    {
        long size = 1;
        foreach (var p in Parameters)
        {
            var count = p.DiscreteCount;
            if (count == 0)
            {
                return 0;
            }

            size = count > long.MaxValue / size ? long.MaxValue : size * count;
        }

        return size;
    }
}
