namespace Serverless.Sweeps;

/// <summary>
/// A small seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64). The sweep engine
/// replays samplers after a crash, so the stream must be identical on every machine and every .NET
/// version; <see cref="System.Random"/> makes no such promise.
/// </summary>
public sealed class SweepRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double? _spareGaussian;

    /// <summary>Creates a generator whose stream depends only on <paramref name="seed"/>.</summary>
    public SweepRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>
    /// Derives a generator for one purpose (for example, "trial 17 of the sweep seeded with 42") so that
    /// each suggestion depends on its own index and never on how many numbers earlier calls consumed.
    /// </summary>
    public static SweepRandom For(long seed, long stream, long salt = 0)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);
        x ^= unchecked((ulong)stream + 0xD1B54A32D192ED03UL);
        var mixed = SplitMix(ref x);
        x = mixed ^ unchecked((ulong)salt * 0xBF58476D1CE4E5B9UL);
        return new SweepRandom(SplitMix(ref x));
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [low, high).</summary>
    public double NextDouble(double low, double high) => low + (NextDouble() * (high - low));

    /// <summary>A uniform integer in [0, exclusiveMax).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        return (int)(NextDouble() * exclusiveMax);
    }

    /// <summary>A uniform integer in [low, high], both ends included.</summary>
    public long NextLong(long low, long high)
    {
        var span = (double)(high - low + 1);
        var value = low + (long)Math.Floor(NextDouble() * span);
        return Math.Min(value, high);
    }

    /// <summary>A standard normal deviate (Box–Muller, polar form).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }

        double u, v, s;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);
        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        return u * factor;
    }

    /// <summary>Picks an index with the given (not necessarily normalised) non-negative weights.</summary>
    public int NextWeighted(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        var target = NextDouble() * total;
        var cumulative = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            cumulative += weights[i];
            if (target < cumulative)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
