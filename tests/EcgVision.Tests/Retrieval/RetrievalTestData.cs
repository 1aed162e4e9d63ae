namespace EcgVision.Tests.Retrieval;

/// <summary>Seeded random vectors and a double-precision brute-force oracle.</summary>
internal static class RetrievalTestData
{
    public static float[] Gaussian(int count, int dimension, int seed)
    {
        var rng = new Random(seed);
        var data = new float[count * dimension];
        for (int i = 0; i < data.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2 * Math.Log(u1));
            data[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < data.Length)
            {
                data[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
            }
        }

        return data;
    }

    /// <summary>Vector of a key, derived from the key only (so concurrent readers know every vector's value).</summary>
    public static float[] VectorOf(long key, int dimension) => Gaussian(1, dimension + (dimension & 1), (int)(key * 7919 + 17)).AsSpan(0, dimension).ToArray();

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>Exact top-k (score descending, index ascending) in double precision.</summary>
    public static (int Index, double Score)[] BruteForce(float[] data, int dimension, ReadOnlySpan<float> query, int top)
    {
        int n = data.Length / dimension;
        var all = new (int Index, double Score)[n];
        for (int i = 0; i < n; i++)
        {
            all[i] = (i, Cosine(data.AsSpan(i * dimension, dimension), query));
        }

        Array.Sort(all, (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        return all.Take(top).ToArray();
    }
}
