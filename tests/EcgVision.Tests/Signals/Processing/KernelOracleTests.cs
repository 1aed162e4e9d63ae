using EcgVision.Internal;
using EcgVision.Signals.Processing;

namespace EcgVision.Tests.Signals.Processing;

/// <summary>Kernels against slow scalar oracles over the STYLE.md lengths.</summary>
public class KernelOracleTests
{
    public static TheoryData<int> Lengths() => new([.. Enumerable.Range(1, 17), 31, 32, 33, 500, 5000]);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Filter_MatchesDifferenceEquationOracle(int length)
    {
        SecondOrderSections sos = Butterworth.BandStop(2, 10, 20, 100);
        double[] x = ScipyVectors.Noise((ulong)length, length);
        var y = new double[length];
        sos.Filter(x, y);

        // Oracle: each section as the direct-form difference equation y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2].
        double[] current = x;
        for (int s = 0; s < sos.SectionCount; s++)
        {
            var next = new double[length];
            for (int n = 0; n < length; n++)
            {
                double v = sos[s, 0] * current[n];
                if (n >= 1)
                {
                    v += (sos[s, 1] * current[n - 1]) - (sos[s, 4] * next[n - 1]);
                }

                if (n >= 2)
                {
                    v += (sos[s, 2] * current[n - 2]) - (sos[s, 5] * next[n - 2]);
                }

                next[n] = v;
            }

            current = next;
        }

        for (int n = 0; n < length; n++)
        {
            y[n].Should().BeApproximately(current[n], 1e-10);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FilterForwardBackward_FloatPathEqualsDoublePathRounded(int length)
    {
        SecondOrderSections sos = Butterworth.LowPass(3, 15, 100);
        if (length <= sos.DefaultPadLength)
        {
            return;
        }

        float[] x = ScipyVectors.Noise((ulong)length + 7, length).Select(v => (float)v).ToArray();
        float[] yf = sos.FilterForwardBackward(x);
        var yd = new double[length];
        sos.FilterForwardBackward(x.Select(v => (double)v).ToArray(), yd);
        yf.Should().Equal(yd.Select(v => (float)v));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ResamplePoly_MatchesUpsampleConvolveDownsampleOracle(int length)
    {
        double[] x = ScipyVectors.Noise((ulong)length + 3, length);
        foreach ((int up, int down) in new[] { (1, 5), (3, 1), (2, 3), (25, 18) })
        {
            double[] y = Resampler.ResamplePoly(x, up, down);
            double[] expected = Oracle(x, up, down);
            y.Length.Should().Be(expected.Length);
            for (int i = 0; i < y.Length; i++)
            {
                y[i].Should().BeApproximately(expected[i], 1e-12, $"{up}/{down} at output {i}");
            }
        }
    }

    // Literal resample_poly: zero-stuff by up, convolve with firwin(2·10·max+1, 1/max, kaiser 5)·up, keep every down-th sample
    // starting at the filter centre.
    private static double[] Oracle(double[] x, int up, int down)
    {
        int max = Math.Max(up, down), half = 10 * max, taps = (2 * half) + 1;
        var h = new double[taps];
        double i0Beta = I0(5.0);
        for (int n = 0; n < taps; n++)
        {
            double m = n - half;
            double arg = m / max;
            double sinc = arg == 0 ? 1 : Math.Sin(Math.PI * arg) / (Math.PI * arg);
            double r = m / half;
            h[n] = sinc / max * I0(5.0 * Math.Sqrt(1 - (r * r))) / i0Beta;
        }

        double sum = h.Sum();
        var stuffed = new double[x.Length * up];
        for (int j = 0; j < x.Length; j++)
        {
            stuffed[j * up] = x[j];
        }

        int outLength = (int)(((long)x.Length * up + down - 1) / down);
        var y = new double[outLength];
        for (int i = 0; i < outLength; i++)
        {
            int centre = i * down;
            double acc = 0;
            for (int k = 0; k < taps; k++)
            {
                int idx = centre + half - k;
                if (idx >= 0 && idx < stuffed.Length)
                {
                    acc += h[k] / sum * up * stuffed[idx];
                }
            }

            y[i] = acc;
        }

        return y;
    }

    private static double I0(double x)
    {
        double term = 1, total = 1;
        for (int k = 1; k < 60; k++)
        {
            term *= x * x / 4 / (k * k);
            total += term;
        }

        return total;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SlidingMedian_MatchesSortEveryWindowOracle(int length)
    {
        double[] x = ScipyVectors.Noise((ulong)length + 11, length).Select(v => Math.Round(v * 4) / 4).ToArray(); // with ties
        foreach (int window in new[] { 1, 3, 7, 21 })
        {
            var y = new double[length];
            SlidingMedian.Apply(x, window, y);
            for (int i = 0; i < length; i++)
            {
                double[] w = Enumerable.Range(i - (window / 2), window).Select(k => x[Math.Clamp(k, 0, length - 1)]).Order().ToArray();
                y[i].Should().Be(w[window / 2], $"window {window} at {i}");
            }
        }
    }
}
