using EcgVision.Encoding;

namespace EcgVision.Tests.Encoding;

/// <summary>Naive double-precision transcriptions of pyts (no SIMD, no algebraic shortcuts): the oracle for the fast encoders.</summary>
internal static class ScalarOracle
{
    public static readonly int[] Lengths = [.. Enumerable.Range(1, 17), 31, 32, 33, 500, 5000];

    public static float[] RandomWalk(int length, int seed)
    {
        var random = new Random(seed);
        var x = new float[length];
        double v = 0;
        for (int i = 0; i < length; i++)
        {
            v += random.NextDouble() - 0.5;
            x[i] = (float)v;
        }

        return x;
    }

    /// <summary>pyts.utils.segmentation with window_size = ceil(n / m), written out literally.</summary>
    public static (int[] Start, int[] End) Segments(int n, int m, bool overlapping)
    {
        int window = (int)Math.Ceiling((double)n / m);
        var start = new int[m];
        var end = new int[m];
        if (!overlapping)
        {
            var bounds = Linspace(0, n, m + 1);
            for (int k = 0; k < m; k++)
            {
                start[k] = (int)bounds[k];
                end[k] = (int)bounds[k + 1];
            }
        }
        else
        {
            var overlaps = Linspace(0, m * window - n, m);
            for (int k = 0; k < m; k++)
            {
                start[k] = k * window - (int)overlaps[k];
                end[k] = (k + 1) * window - (int)overlaps[k];
            }
        }

        return (start, end);
    }

    /// <summary>numpy.linspace(start, stop, num) with endpoint=True.</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        var y = new double[num];
        if (num == 1)
        {
            y[0] = start;
            return y;
        }

        double step = (stop - start) / (num - 1);
        for (int k = 0; k < num; k++)
        {
            y[k] = step == 0 ? start : k * step + start;
        }

        y[num - 1] = stop;
        return y;
    }

    public static double[] Paa(float[] x, int m, bool overlapping)
    {
        if (m == x.Length)
        {
            return x.Select(v => (double)v).ToArray();
        }

        var (start, end) = Segments(x.Length, m, overlapping);
        return Enumerable.Range(0, m).Select(k => x[start[k]..end[k]].Average(v => (double)v)).ToArray();
    }

    /// <summary>GAF through the angles themselves: φ = arccos(x̃), cos(φi + φj) or sin(φi − φj).</summary>
    public static double[] Gaf(float[] x, int size, GramianAngularFieldMethod method, ValueRange? range, bool overlapping)
    {
        double[] p = Paa(x, size, overlapping);
        if (range is { } r)
        {
            double min = p.Min(), max = p.Max();
            double scale = (r.Max - r.Min) / (max - min == 0 ? 1 : max - min);
            p = p.Select(v => v * scale + (r.Min - min * scale)).ToArray();
        }

        double[] phi = p.Select(v => Math.Acos(Math.Clamp(v, -1, 1))).ToArray();
        var g = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                g[i * size + j] = method == GramianAngularFieldMethod.Summation ? Math.Cos(phi[i] + phi[j]) : Math.Sin(phi[i] - phi[j]);
            }
        }

        return g;
    }

    public static int[] Bins(float[] x, int binCount, BinStrategy strategy)
    {
        double[] edges;
        if (strategy == BinStrategy.Uniform)
        {
            edges = Linspace(x.Min(), x.Max(), binCount + 1)[1..^1];
        }
        else if (strategy == BinStrategy.Normal)
        {
            edges = Linspace(0, 1, binCount + 1)[1..^1].Select(NormalQuantileByBisection).ToArray();
        }
        else
        {
            double[] sorted = x.Select(v => (double)v).OrderBy(v => v).ToArray();
            double[] all = Linspace(0, 100, binCount + 1)[1..^1].Select(q => Percentile(sorted, q / 100)).ToArray();
            edges = all.Where((e, k) => k == all.Length - 1 || !(Math.Abs(all[k + 1] - e) <= 1e-8)).ToArray();
        }

        return x.Select(v => edges.Count(e => e < v)).ToArray();
    }

    public static double Percentile(double[] sorted, double q)
    {
        double index = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(index);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        double t = index - lo, d = sorted[hi] - sorted[lo];
        return t >= 0.5 ? sorted[hi] - d * (1 - t) : sorted[lo] + d * t;
    }

    /// <summary>Φ⁻¹ by bisection on Φ(x) = erfc(−x/√2)/2 with a numerically integrated erfc (independent of the library's Newton/series).</summary>
    public static double NormalQuantileByBisection(double p) => s_normalQuantiles.GetOrAdd(p, Bisect);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<double, double> s_normalQuantiles = new();

    private static double Bisect(double p)
    {
        double lo = -10, hi = 10;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (NormalCdfBySimpson(mid) < p) lo = mid;
            else hi = mid;
        }

        return 0.5 * (lo + hi);
    }

    private static double NormalCdfBySimpson(double x)
    {
        // Φ(x) = 1/2 + ∫₀ˣ φ(t) dt, composite Simpson with 20000 panels (error far below 1e-12 for |x| ≤ 10).
        const int n = 20000;
        double h = x / n, sum = 0;
        for (int i = 0; i <= n; i++)
        {
            double t = i * h;
            double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
            sum += w * Math.Exp(-0.5 * t * t);
        }

        return 0.5 + sum * h / 3 / Math.Sqrt(2 * Math.PI);
    }

    /// <summary>MTF by the definition: the full n × n field M[j,k] = W[bin j, bin k], averaged over the pyts blocks (never materialised).</summary>
    public static double[] Mtf(float[] x, int size, int binCount, BinStrategy strategy, bool overlapping)
    {
        int n = x.Length;
        int[] b = Bins(x, binCount, strategy);
        var w = new double[binCount, binCount];
        for (int j = 0; j + 1 < n; j++)
        {
            w[b[j], b[j + 1]]++;
        }

        for (int a = 0; a < binCount; a++)
        {
            double sum = 0;
            for (int c = 0; c < binCount; c++) sum += w[a, c];
            if (sum == 0) sum = 1;
            for (int c = 0; c < binCount; c++) w[a, c] /= sum;
        }

        int[] start, end;
        if (n % size == 0)
        {
            start = Enumerable.Range(0, size).Select(k => k * (n / size)).ToArray();
            end = start.Select(s => s + n / size).ToArray();
        }
        else
        {
            (start, end) = Segments(n, size, overlapping);
        }

        var image = new double[size * size];
        for (int p = 0; p < size; p++)
        {
            for (int q = 0; q < size; q++)
            {
                double sum = 0;
                for (int j = start[p]; j < end[p]; j++)
                {
                    for (int k = start[q]; k < end[q]; k++)
                    {
                        sum += w[b[j], b[k]];
                    }
                }

                image[p * size + q] = sum / ((end[p] - start[p]) * (end[q] - start[q]));
            }
        }

        return image;
    }

    /// <summary>Fails with the first pixel farther than <paramref name="tolerance"/> from the oracle (no per-pixel allocation).</summary>
    public static void AssertClose(float[] actual, double[] expected, double tolerance, string context)
    {
        actual.Length.Should().Be(expected.Length, context);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                throw new Xunit.Sdk.XunitException($"{context}: pixel {i} is {actual[i]} but the oracle gives {expected[i]} (tolerance {tolerance}).");
            }
        }
    }

    public static double[] RecurrenceDistances(double[] x, int m, int tau) => PytsParityTests.ReferenceDistances(x, m, tau);
}
