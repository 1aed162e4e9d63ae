namespace EcgVision.Signals.Synthetic;

/// <summary>A small deterministic pseudo-random generator (xoshiro256** seeded through SplitMix64).</summary>
/// <remarks>
/// The corpus must be identical byte for byte for the same seed on every run and .NET version, so it does not use
/// <see cref="Random"/> (whose algorithm is an implementation detail). Gaussian samples use the Box–Muller transform
/// without caching, so the stream of draws never depends on how many Gaussians were asked for before.
/// Reference: Blackman &amp; Vigna, "Scrambled linear pseudorandom number generators" (2021).
/// </remarks>
internal struct SyntheticRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the generator from a 64-bit seed and a stream number (distinct streams are independent).</summary>
    public SyntheticRandom(ulong seed, ulong stream = 0)
    {
        ulong sm = seed ^ (stream * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>Mixes values into one well-distributed 64-bit seed.</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        ulong s = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        return SplitMix64(ref s);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [min, max).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>A uniform integer in [0, count).</summary>
    public int NextInt(int count) => (int)((NextUInt64() >> 33) * (ulong)count >> 31);

    /// <summary><see langword="true"/> with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A standard normal sample (Box–Muller, one sample per two uniforms).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: keeps the logarithm finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Two independent standard normal samples (both outputs of one Box–Muller transform).</summary>
    public void NextGaussianPair(out double a, out double b)
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
        a = radius * cos;
        b = radius * sin;
    }

    /// <summary>A normal sample with the given mean and standard deviation, clamped to [min, max].</summary>
    public double Gaussian(double mean, double std, double min, double max) =>
        Math.Clamp(mean + (std * NextGaussian()), min, max);

    /// <summary>Picks one element uniformly.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[NextInt(items.Count)];
}
