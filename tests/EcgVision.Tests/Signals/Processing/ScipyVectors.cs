using System.Text.Json;

namespace EcgVision.Tests.Signals.Processing;

/// <summary>SciPy 1.10 reference outputs (TestData/scipy/scipy_vectors.json, written by make_vectors.py) and the input generators they used.</summary>
internal static class ScipyVectors
{
    private static readonly Lazy<JsonDocument> s_document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "scipy", "scipy_vectors.json"))));

    public static JsonElement Root => s_document.Value.RootElement;

    public static IEnumerable<JsonElement> Cases(string name) => Root.GetProperty(name).EnumerateArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>Uniform [-1, 1) from xorshift64*, identical to make_vectors.py's <c>noise</c>.</summary>
    public static double[] Noise(ulong seed, int n)
    {
        ulong s = unchecked((seed * 0x9E3779B97F4A7C15UL) + 1);
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            s ^= s >> 12;
            s ^= s << 25;
            s ^= s >> 27;
            ulong v = unchecked(s * 0x2545F4914F6CDD1DUL);
            result[i] = ((v >> 11) * (1.0 / (1UL << 53)) * 2.0) - 1.0;
        }

        return result;
    }

    /// <summary>Gaussian-sum beats at 72 bpm + 0.3 Hz baseline + noise, identical (to rounding) to make_vectors.py's <c>ecg</c>.</summary>
    public static double[] Ecg(ulong seed, int n, double fs)
    {
        (double A, double Mu, double Sd)[] waves = [(0.15, -0.2, 0.025), (-0.1, -0.03, 0.01), (1.2, 0.0, 0.012), (-0.25, 0.03, 0.01), (0.3, 0.25, 0.04)];
        double[] noise = Noise(seed, n);
        double rr = 60.0 / 72.0;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = i / fs;
            double phase = (t % rr) - 0.35; // fmod, like numpy.mod for t >= 0
            double v = 0;
            foreach (var (a, mu, sd) in waves)
            {
                v += a * Math.Exp(-((phase - mu) * (phase - mu)) / (2 * sd * sd));
            }

            y[i] = v + (0.4 * Math.Sin(2 * Math.PI * 0.3 * t)) + (0.02 * noise[i]);
        }

        return y;
    }

    public static double[] Input(JsonElement c, double fs) =>
        c.GetProperty("input").GetString() == "noise"
            ? Noise(c.GetProperty("seed").GetUInt64(), c.GetProperty("n").GetInt32())
            : Ecg(c.GetProperty("seed").GetUInt64(), c.GetProperty("n").GetInt32(), fs);

    /// <summary>Compares <paramref name="actual"/> with a packed SciPy output (all values, or head/tail/strided + sums).</summary>
    public static void AssertMatches(JsonElement packed, ReadOnlySpan<double> actual, double tolerance, string label)
    {
        int n = packed.GetProperty("n").GetInt32();
        actual.Length.Should().Be(n, label);
        if (packed.TryGetProperty("all", out JsonElement all))
        {
            Compare(Doubles(all), i => i, actual, tolerance, label);
            return;
        }

        double[] head = Doubles(packed.GetProperty("head"));
        double[] tail = Doubles(packed.GetProperty("tail"));
        double[] strided = Doubles(packed.GetProperty("strided"));
        int stride = packed.GetProperty("stride").GetInt32();
        Compare(head, i => i, actual, tolerance, label + " head");
        Compare(tail, i => n - tail.Length + i, actual, tolerance, label + " tail");
        Compare(strided, i => i * stride, actual, tolerance, label + " strided");
        double sum = 0, sumsq = 0;
        foreach (double v in actual)
        {
            sum += v;
            sumsq += v * v;
        }

        sum.Should().BeApproximately(packed.GetProperty("sum").GetDouble(), tolerance * n, label + " sum");
        sumsq.Should().BeApproximately(packed.GetProperty("sumsq").GetDouble(), tolerance * n * 10, label + " sumsq");
    }

    private static void Compare(double[] expected, Func<int, int> index, ReadOnlySpan<double> actual, double tolerance, string label)
    {
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(actual[index(i)] - expected[i]);
            if (d > worst || double.IsNaN(d))
            {
                worst = double.IsNaN(d) ? double.PositiveInfinity : d;
                worstAt = index(i);
            }
        }

        worst.Should().BeLessThanOrEqualTo(tolerance, $"{label}: largest difference at sample {worstAt}");
    }
}
