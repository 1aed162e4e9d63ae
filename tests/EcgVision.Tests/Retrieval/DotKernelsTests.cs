using EcgVision.Retrieval.Internal;

namespace EcgVision.Tests.Retrieval;

public class DotKernelsTests
{
    public static TheoryData<int> Lengths() => new() { 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 500 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DequantizeInt8_MatchesScalarOracle(int d)
    {
        var rng = new Random(d);
        sbyte[] rows = Enumerable.Range(0, 3 * d).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();
        float[] scales = [0.5f, 0.25f, 2f];
        float[] dst = new float[3 * d];
        DotKernels.DequantizeInt8(rows, scales, d, dst);
        for (int i = 0; i < 3 * d; i++)
        {
            dst[i].Should().Be(rows[i] * scales[i / d], $"element {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DotRowsAndScoreBlock_MatchScalarOracle(int d)
    {
        const int n = 37, q = 9;
        float[] rows = RetrievalTestData.Gaussian(n, d + (d & 1), seed: d)[..(n * d)];
        float[] queries = RetrievalTestData.Gaussian(q, d + (d & 1), seed: d + 1)[..(q * d)];
        int stride = (q + DotKernels.BatchColumnWidth - 1) / DotKernels.BatchColumnWidth * DotKernels.BatchColumnWidth;
        float[] single = new float[n];
        float[] block = new float[n * stride];
        DotKernels.ScoreBlock(queries, rows, d, stride, block);
        for (int k = 0; k < q; k++)
        {
            DotKernels.DotRows(queries.AsSpan(k * d, d), rows, d, single);
            for (int i = 0; i < n; i++)
            {
                double expected = 0;
                for (int j = 0; j < d; j++)
                {
                    expected += (double)queries[(k * d) + j] * rows[(i * d) + j];
                }

                single[i].Should().BeApproximately((float)expected, 1e-4f);
                block[(i * stride) + k].Should().BeApproximately((float)expected, 1e-4f);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void HalfToSingleForScan_MatchesConversionForNormalsAndFlushesSubnormals(int n)
    {
        var rng = new Random(n);
        Half[] values = Enumerable.Range(0, n).Select(i => (Half)(i % 5 == 0 ? 0f : (float)((rng.NextDouble() * 2) - 1) * (i % 7 == 0 ? 1e-6f : 1f))).ToArray();
        if (n > 2)
        {
            values[1] = Half.NegativeZero;
            values[2] = (Half)(-3e-6f); // negative subnormal
        }

        float[] result = new float[n];
        DotKernels.HalfToSingleForScan(values, result);
        for (int i = 0; i < n; i++)
        {
            float expected = Half.IsSubnormal(values[i]) ? 0f : (float)values[i];
            result[i].Should().Be(expected, $"element {i} ({values[i]})");
            float.IsNegative(result[i]).Should().Be(Half.IsNegative(values[i]), $"sign of element {i}");
        }
    }
}
