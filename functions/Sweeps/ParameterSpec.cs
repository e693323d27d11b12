using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Serverless.Sweeps;

/// <summary>
/// One searchable (or constant) parameter of a sweep: its dotted name, its distribution and the
/// distribution's arguments. Build one through the static factories; the YAML parser uses the same.
/// </summary>
public sealed class ParameterSpec
{
    private ParameterSpec(string name, DistributionKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
    }

    /// <summary>The parameter's full name; nested parameters use dots (<c>optimizer.lr</c>).</summary>
    public string Name { get; }

    /// <summary>The distribution the parameter follows.</summary>
    public DistributionKind Kind { get; }

    /// <summary>Lower bound (meaning depends on <see cref="Kind"/>; natural-log exponent for the log forms).</summary>
    public double Min { get; private init; }

    /// <summary>Upper bound (meaning depends on <see cref="Kind"/>).</summary>
    public double Max { get; private init; }

    /// <summary>Mean of the normal forms.</summary>
    public double Mu { get; private init; }

    /// <summary>Standard deviation of the normal forms.</summary>
    public double Sigma { get; private init; } = 1;

    /// <summary>Quantisation step of the q_ forms (1 for <see cref="DistributionKind.IntUniform"/>).</summary>
    public double Q { get; private init; } = 1;

    /// <summary>Whether sampled values are integers (int_uniform, or a q form whose q was written as an integer).</summary>
    public bool IntegerValued { get; private init; }

    /// <summary>The constant value of a <see cref="DistributionKind.Constant"/> parameter.</summary>
    public object? Value { get; private init; }

    /// <summary>The choices of a <see cref="DistributionKind.Categorical"/> parameter.</summary>
    public IReadOnlyList<object?> Values { get; private init; } = [];

    /// <summary>Optional weights of the categorical choices (sum to 1).</summary>
    public IReadOnlyList<double>? Probabilities { get; private init; }

    /// <summary>Whether the parameter is a real or integer range (not constant, not categorical).</summary>
    public bool IsNumeric => Kind is not (DistributionKind.Constant or DistributionKind.Categorical);

    /// <summary>Whether the parameter takes a finite set of values that a grid can enumerate.</summary>
    public bool IsDiscrete => Kind is DistributionKind.Constant or DistributionKind.Categorical or DistributionKind.IntUniform
        or DistributionKind.QUniform or DistributionKind.QLogUniformValues or DistributionKind.QLogUniform;

    /// <summary>A parameter that always takes <paramref name="value"/>.</summary>
    public static ParameterSpec Constant(string name, object? value) =>
        new(name, DistributionKind.Constant) { Value = value };

    /// <summary>A parameter drawn from <paramref name="values"/>, uniformly or with the given probabilities.</summary>
    public static ParameterSpec Categorical(string name, IReadOnlyList<object?> values, IReadOnlyList<double>? probabilities = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException($"parameters.{name}: values must not be empty", nameof(values));
        }

        if (probabilities is not null)
        {
            if (probabilities.Count != values.Count)
            {
                throw new ArgumentException($"parameters.{name}: {probabilities.Count} probabilities for {values.Count} values", nameof(probabilities));
            }

            if (probabilities.Any(p => p < 0 || double.IsNaN(p)) || Math.Abs(probabilities.Sum() - 1) > 1e-6)
            {
                throw new ArgumentException($"parameters.{name}: probabilities must be non-negative and sum to 1", nameof(probabilities));
            }
        }

        return new(name, DistributionKind.Categorical) { Values = [.. values], Probabilities = probabilities is null ? null : [.. probabilities] };
    }

    /// <summary>Integers in [min, max].</summary>
    public static ParameterSpec IntUniform(string name, long min, long max)
    {
        CheckRange(name, min, max);
        return new(name, DistributionKind.IntUniform) { Min = min, Max = max, Q = 1, IntegerValued = true };
    }

    /// <summary>Reals in [min, max].</summary>
    public static ParameterSpec Uniform(string name, double min, double max)
    {
        CheckRange(name, min, max);
        return new(name, DistributionKind.Uniform) { Min = min, Max = max };
    }

    /// <summary>Multiples of <paramref name="q"/> in [min, max]; integers when <paramref name="integerValued"/>.</summary>
    public static ParameterSpec QUniform(string name, double min, double max, double q, bool integerValued = false)
    {
        CheckRange(name, min, max);
        CheckQ(name, q);
        if (Math.Floor(max / q) < Math.Ceiling(min / q))
        {
            throw new ArgumentException($"parameters.{name}: no multiple of q={Fmt(q)} lies in [{Fmt(min)}, {Fmt(max)}]");
        }

        return new(name, DistributionKind.QUniform) { Min = min, Max = max, Q = q, IntegerValued = integerValued };
    }

    /// <summary>Log-uniform between the values <paramref name="min"/> and <paramref name="max"/> (both &gt; 0).</summary>
    public static ParameterSpec LogUniformValues(string name, double min, double max)
    {
        CheckPositiveRange(name, min, max);
        return new(name, DistributionKind.LogUniformValues) { Min = min, Max = max };
    }

    /// <summary>exp(U), U uniform in [min, max] (W&amp;B's natural-log bounds form).</summary>
    public static ParameterSpec LogUniform(string name, double min, double max)
    {
        CheckRange(name, min, max);
        return new(name, DistributionKind.LogUniform) { Min = min, Max = max };
    }

    /// <summary>Log-uniform between values, rounded to multiples of <paramref name="q"/>.</summary>
    public static ParameterSpec QLogUniformValues(string name, double min, double max, double q, bool integerValued = false)
    {
        CheckPositiveRange(name, min, max);
        CheckQ(name, q);
        return new(name, DistributionKind.QLogUniformValues) { Min = min, Max = max, Q = q, IntegerValued = integerValued };
    }

    /// <summary>exp(U) rounded to multiples of <paramref name="q"/>, U uniform in [min, max].</summary>
    public static ParameterSpec QLogUniform(string name, double min, double max, double q, bool integerValued = false)
    {
        CheckRange(name, min, max);
        CheckQ(name, q);
        return new(name, DistributionKind.QLogUniform) { Min = min, Max = max, Q = q, IntegerValued = integerValued };
    }

    /// <summary>exp(−U), U uniform in [min, max].</summary>
    public static ParameterSpec InvLogUniform(string name, double min, double max)
    {
        CheckRange(name, min, max);
        return new(name, DistributionKind.InvLogUniform) { Min = min, Max = max };
    }

    /// <summary>X in [min, max] whose reciprocal is log-uniform.</summary>
    public static ParameterSpec InvLogUniformValues(string name, double min, double max)
    {
        CheckPositiveRange(name, min, max);
        return new(name, DistributionKind.InvLogUniformValues) { Min = min, Max = max };
    }

    /// <summary>Normal(mu, sigma).</summary>
    public static ParameterSpec Normal(string name, double mu = 0, double sigma = 1) =>
        Gaussian(name, DistributionKind.Normal, mu, sigma, 1, false);

    /// <summary>Normal(mu, sigma) rounded to multiples of <paramref name="q"/>.</summary>
    public static ParameterSpec QNormal(string name, double mu = 0, double sigma = 1, double q = 1, bool integerValued = false) =>
        Gaussian(name, DistributionKind.QNormal, mu, sigma, q, integerValued);

    /// <summary>exp(Normal(mu, sigma)).</summary>
    public static ParameterSpec LogNormal(string name, double mu = 0, double sigma = 1) =>
        Gaussian(name, DistributionKind.LogNormal, mu, sigma, 1, false);

    /// <summary>exp(Normal(mu, sigma)) rounded to multiples of <paramref name="q"/>.</summary>
    public static ParameterSpec QLogNormal(string name, double mu = 0, double sigma = 1, double q = 1, bool integerValued = false) =>
        Gaussian(name, DistributionKind.QLogNormal, mu, sigma, q, integerValued);

    /// <summary>Draws one value from the parameter's own distribution (what random search does).</summary>
    public object? Sample(SweepRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        switch (Kind)
        {
            case DistributionKind.Constant:
                return Value;
            case DistributionKind.Categorical:
                return Values[Probabilities is null ? random.NextInt(Values.Count) : random.NextWeighted(Probabilities)];
            case DistributionKind.IntUniform:
                return random.NextLong((long)Min, (long)Max);
            case DistributionKind.QUniform:
                {
                    var (lowK, highK) = GridIndexRange();
                    return FromMultiple(random.NextLong(lowK, highK));
                }

            case DistributionKind.Normal or DistributionKind.QNormal or DistributionKind.LogNormal or DistributionKind.QLogNormal:
                // The internal space of the log forms is the log of the value, so one draw serves all four.
                return Decode(Mu + (Sigma * random.NextGaussian()));
            default:
                {
                    var (low, high) = InternalBounds;
                    return Decode(random.NextDouble(low, high));
                }
        }
    }

    /// <summary>
    /// Bounds of the parameter in the space the model-based samplers work in: log space for the log
    /// forms, widened by q/2 for the quantised forms (so that each grid value owns an equal interval), and
    /// mu ± 3 sigma for the unbounded normal forms.
    /// </summary>
    internal (double Low, double High) InternalBounds => Kind switch
    {
        DistributionKind.IntUniform or DistributionKind.QUniform => WidenedGrid(),
        DistributionKind.Uniform or DistributionKind.LogUniform or DistributionKind.QLogUniform => (Min, Max),
        DistributionKind.LogUniformValues or DistributionKind.QLogUniformValues or DistributionKind.InvLogUniformValues => (Math.Log(Min), Math.Log(Max)),
        DistributionKind.InvLogUniform => (-Max, -Min),
        DistributionKind.Normal or DistributionKind.QNormal or DistributionKind.LogNormal or DistributionKind.QLogNormal => (Mu - (3 * Sigma), Mu + (3 * Sigma)),
        _ => throw new InvalidOperationException($"parameter '{Name}' is not numeric"),
    };

    /// <summary>Whether the internal space is the logarithm of the value.</summary>
    internal bool IsLogScale => Kind is DistributionKind.LogUniform or DistributionKind.LogUniformValues or DistributionKind.QLogUniform
        or DistributionKind.QLogUniformValues or DistributionKind.InvLogUniform or DistributionKind.InvLogUniformValues
        or DistributionKind.LogNormal or DistributionKind.QLogNormal;

    /// <summary>Maps a point of the internal space to a parameter value (quantised and typed).</summary>
    internal object Decode(double internalValue)
    {
        var x = IsLogScale ? Math.Exp(internalValue) : internalValue;
        switch (Kind)
        {
            case DistributionKind.IntUniform:
                return (long)Math.Clamp(Math.Round(x, MidpointRounding.AwayFromZero), Min, Max);
            case DistributionKind.QUniform:
                {
                    var (lowK, highK) = GridIndexRange();
                    return FromMultiple(Math.Clamp((long)Math.Round(x / Q, MidpointRounding.AwayFromZero), lowK, highK));
                }

            case DistributionKind.QLogUniform or DistributionKind.QLogUniformValues:
                {
                    var (lowK, highK) = GridIndexRange();
                    var k = (long)Math.Round(x / Q, MidpointRounding.AwayFromZero);
                    return FromMultiple(highK >= lowK ? Math.Clamp(k, lowK, highK) : k);
                }

            case DistributionKind.QNormal or DistributionKind.QLogNormal:
                return FromMultiple((long)Math.Round(x / Q, MidpointRounding.AwayFromZero));
            case DistributionKind.Uniform or DistributionKind.LogUniformValues or DistributionKind.InvLogUniformValues:
                return Math.Clamp(x, Min, Max);
            default:
                return x;
        }
    }

    /// <summary>Maps a parameter value back to the internal space (inverse of <see cref="Decode"/> up to rounding).</summary>
    internal double Encode(object? value)
    {
        var x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return IsLogScale ? Math.Log(Math.Max(x, double.Epsilon)) : x;
    }

    /// <summary>Every value of a discrete parameter, in ascending order (grid search).</summary>
    internal IReadOnlyList<object?> EnumerateValues()
    {
        switch (Kind)
        {
            case DistributionKind.Constant:
                return [Value];
            case DistributionKind.Categorical:
                return Values;
            case DistributionKind.IntUniform:
                {
                    var list = new List<object?>();
                    for (var v = (long)Min; v <= (long)Max; v++)
                    {
                        list.Add(v);
                    }

                    return list;
                }

            case DistributionKind.QUniform or DistributionKind.QLogUniformValues or DistributionKind.QLogUniform:
                {
                    var (lowK, highK) = GridIndexRange();
                    var list = new List<object?>();
                    for (var k = lowK; k <= highK; k++)
                    {
                        list.Add(FromMultiple(k));
                    }

                    return list;
                }

            default:
                throw new InvalidOperationException($"parameter '{Name}' ({Kind}) is continuous; a grid needs values or a q step");
        }
    }

    /// <summary>How many values <see cref="EnumerateValues"/> yields, without building them.</summary>
    internal long DiscreteCount => Kind switch
    {
        DistributionKind.Constant => 1,
        DistributionKind.Categorical => Values.Count,
        DistributionKind.IntUniform => (long)Max - (long)Min + 1,
        DistributionKind.QUniform or DistributionKind.QLogUniformValues or DistributionKind.QLogUniform =>
            Math.Max(0, GridIndexRange().High - GridIndexRange().Low + 1),
        _ => long.MaxValue,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Kind}";

    private (double Low, double High) WidenedGrid()
    {
        var (lowK, highK) = GridIndexRange();
        return ((lowK - 0.5) * Q, (highK + 0.5) * Q);
    }

    // The range of integers k for which k*q is an allowed value, in value space.
    private (long Low, long High) GridIndexRange()
    {
        var (low, high) = Kind switch
        {
            DistributionKind.QLogUniform => (Math.Exp(Min), Math.Exp(Max)),
            _ => (Min, Max),
        };
        const double Slack = 1e-9;
        return ((long)Math.Ceiling((low / Q) - Slack), (long)Math.Floor((high / Q) + Slack));
    }

    [SuppressMessage("Performance", "CA1859", Justification = "Returns a long for integer-valued parameters and a double otherwise.")]
    private object FromMultiple(long k)
    {
        var v = k * Q;
        if (IntegerValued)
        {
            return (long)Math.Round(v);
        }

        // Round away binary noise (0.1 * 3 = 0.30000000000000004) so values print as users wrote them.
        return Math.Round(v, 12);
    }

    private static ParameterSpec Gaussian(string name, DistributionKind kind, double mu, double sigma, double q, bool integerValued)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma) || !double.IsFinite(mu))
        {
            throw new ArgumentException($"parameters.{name}: sigma must be a positive finite number and mu finite");
        }

        CheckQ(name, q);
        return new(name, kind) { Mu = mu, Sigma = sigma, Q = q, IntegerValued = integerValued };
    }

    private static void CheckRange(string name, double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw new ArgumentException($"parameters.{name}: min ({Fmt(min)}) must not exceed max ({Fmt(max)}) and both must be finite");
        }
    }

    private static void CheckPositiveRange(string name, double min, double max)
    {
        CheckRange(name, min, max);
        if (min <= 0)
        {
            throw new ArgumentException($"parameters.{name}: min ({Fmt(min)}) must be greater than 0 for a log-scaled distribution");
        }
    }

    private static void CheckQ(string name, double q)
    {
        if (!(q > 0) || !double.IsFinite(q))
        {
            throw new ArgumentException($"parameters.{name}: q ({Fmt(q)}) must be a positive number");
        }
    }

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
