using CsCheck;
using EcgVision.Encoding;

namespace EcgVision.Tests.Encoding;

/// <summary>Algebraic properties over random signals (CsCheck): symmetries of GAF and RP, stochastic structure of MTF.</summary>
public sealed class EncoderPropertyTests
{
    private static readonly Gen<float[]> s_signals = Gen.Float[-10f, 10f].Array[2, 200];

    [Fact]
    public void GramianAngularFields_AreSymmetricAndAntisymmetric()
    {
        s_signals.Sample(x =>
        {
            int size = Math.Max(1, x.Length / 3);
            float[] s = new GramianAngularFieldEncoder(new() { ImageSize = size }).Encode(x);
            float[] d = new GramianAngularFieldEncoder(new() { ImageSize = size, Method = GramianAngularFieldMethod.Difference }).Encode(x);
            for (int i = 0; i < size; i++)
            {
                // GASF diagonal is cos 2φ = 2x̃² − 1 ≥ −1; GADF diagonal is exactly 0.
                d[i * size + i].Should().Be(0f);
                for (int j = 0; j < size; j++)
                {
                    s[i * size + j].Should().BeApproximately(s[j * size + i], 1e-6f);
                    d[i * size + j].Should().BeApproximately(-d[j * size + i], 1e-6f);
                }
            }
        }, iter: 100);
    }

    [Fact]
    public void RecurrencePlot_IsSymmetricWithZeroDiagonal()
    {
        s_signals.Sample(x =>
        {
            float[] r = new RecurrencePlotEncoder(new() { Dimension = 2 }).Encode(x);
            int size = x.Length - 1;
            for (int i = 0; i < size; i++)
            {
                r[i * size + i].Should().Be(0f);
                for (int j = 0; j < i; j++)
                {
                    r[i * size + j].Should().Be(r[j * size + i]);
                }
            }
        }, iter: 100);
    }

    [Fact]
    public void MarkovTransitionField_FullSize_RowsAreTransitionProbabilities()
    {
        // At full size, pixel (j, k) is W[bin j, bin k]; summing over the distinct bins of row j's columns gives 1 or 0.
        Gen.Float[-10f, 10f].Array[8, 120].Sample(x =>
        {
            if (x.Max() == x.Min())
            {
                return;
            }

            int n = x.Length;
            float[] m = new MarkovTransitionFieldEncoder(new() { ImageSize = n, BinCount = 4 }).Encode(x);
            int[] bins = new BinDiscretizer(new() { BinCount = 4 }).Transform(x);
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                foreach (int b in bins.Distinct())
                {
                    sum += m[j * n + Array.IndexOf(bins, b)];
                }

                sum.Should().Match(v => Math.Abs(v - 1) < 1e-5 || Math.Abs(v) < 1e-7);
            }
        }, iter: 100);
    }
}
