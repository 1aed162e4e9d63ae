using System.Globalization;
using System.Numerics;

namespace EcgVision.Signals.Processing;

/// <summary>Digital Butterworth filter design, equivalent to <c>scipy.signal.butter(N, Wn, btype, fs=fs, output='sos')</c>.</summary>
/// <remarks>
/// The design follows SciPy step by step: the analog prototype's poles (<c>buttap</c>), the frequency transform
/// (<c>lp2lp_zpk</c>, <c>lp2hp_zpk</c>, <c>lp2bp_zpk</c>, <c>lp2bs_zpk</c>) at the pre-warped cutoffs
/// <c>4·tan(π·Wn/2)</c> with <c>Wn = 2·f/fs</c>, the bilinear transform (<c>bilinear_zpk</c>) and the
/// conversion to second-order sections with <c>pairing='nearest'</c> (<c>zpk2sos</c>): poles closest to the unit circle
/// go last, each paired with its nearest zero, and the gain goes into the first section. Coefficients agree with SciPy to
/// within 1e-10 (checked against SciPy 1.10 for 160 designs in the tests). A band-pass or band-stop design of order N has N sections;
/// low- and high-pass designs have ⌈N/2⌉.
/// </remarks>
public static class Butterworth
{
    /// <summary>The highest supported filter order.</summary>
    public const int MaxOrder = 32;

    /// <summary>Designs a low-pass or high-pass Butterworth filter.</summary>
    /// <param name="order">Filter order N, 1 to <see cref="MaxOrder"/>.</param>
    /// <param name="band"><see cref="FilterBand.LowPass"/> or <see cref="FilterBand.HighPass"/>.</param>
    /// <param name="cutoffHz">The −3 dB frequency in Hz, strictly between 0 and the Nyquist frequency.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <returns>The filter as second-order sections.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it, the rule and the value.</exception>
    /// <exception cref="ArgumentException"><paramref name="band"/> is a two-cutoff band.</exception>
    /// <exception cref="NotSupportedException"><paramref name="band"/> is not a defined <see cref="FilterBand"/>.</exception>
    public static SecondOrderSections Design(int order, FilterBand band, double cutoffHz, double samplingRate)
    {
        ValidateCommon(order, band, samplingRate);
        if (band is FilterBand.BandPass or FilterBand.BandStop)
        {
            throw new ArgumentException($"band {band} needs two cutoffs; call Design(order, band, lowHz, highHz, samplingRate).", nameof(band));
        }

        ValidateFrequency(nameof(cutoffHz), cutoffHz, samplingRate);
        return DesignNormalized(order, band, [2 * cutoffHz / samplingRate]);
    }

    /// <summary>Designs a band-pass or band-stop Butterworth filter.</summary>
    /// <param name="order">Filter order N, 1 to <see cref="MaxOrder"/> (the result has N sections, i.e. order 2N).</param>
    /// <param name="band"><see cref="FilterBand.BandPass"/> or <see cref="FilterBand.BandStop"/>.</param>
    /// <param name="lowHz">The lower −3 dB frequency in Hz, strictly between 0 and the Nyquist frequency.</param>
    /// <param name="highHz">The upper −3 dB frequency in Hz, above <paramref name="lowHz"/> and below the Nyquist frequency.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <returns>The filter as second-order sections.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it, the rule and the value.</exception>
    /// <exception cref="ArgumentException"><paramref name="band"/> is a one-cutoff band.</exception>
    /// <exception cref="NotSupportedException"><paramref name="band"/> is not a defined <see cref="FilterBand"/>.</exception>
    public static SecondOrderSections Design(int order, FilterBand band, double lowHz, double highHz, double samplingRate)
    {
        ValidateCommon(order, band, samplingRate);
        if (band is FilterBand.LowPass or FilterBand.HighPass)
        {
            throw new ArgumentException($"band {band} takes one cutoff; call Design(order, band, cutoffHz, samplingRate).", nameof(band));
        }

        ValidateFrequency(nameof(lowHz), lowHz, samplingRate);
        ValidateFrequency(nameof(highHz), highHz, samplingRate);
        if (!(lowHz < highHz))
        {
            throw new ArgumentOutOfRangeException(nameof(highHz), highHz, $"highHz must be greater than lowHz ({F(lowHz)}) (got {F(highHz)}).");
        }

        return DesignNormalized(order, band, [2 * lowHz / samplingRate, 2 * highHz / samplingRate]);
    }

    /// <summary>Designs a low-pass Butterworth filter (<c>butter(order, cutoffHz, 'lowpass', fs=samplingRate, output='sos')</c>).</summary>
    /// <param name="order">Filter order, 1 to <see cref="MaxOrder"/>.</param>
    /// <param name="cutoffHz">Cutoff in Hz, between 0 and the Nyquist frequency.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static SecondOrderSections LowPass(int order, double cutoffHz, double samplingRate) => Design(order, FilterBand.LowPass, cutoffHz, samplingRate);

    /// <summary>Designs a high-pass Butterworth filter (<c>butter(order, cutoffHz, 'highpass', fs=samplingRate, output='sos')</c>).</summary>
    /// <param name="order">Filter order, 1 to <see cref="MaxOrder"/>.</param>
    /// <param name="cutoffHz">Cutoff in Hz, between 0 and the Nyquist frequency.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static SecondOrderSections HighPass(int order, double cutoffHz, double samplingRate) => Design(order, FilterBand.HighPass, cutoffHz, samplingRate);

    /// <summary>Designs a band-pass Butterworth filter (<c>butter(order, [lowHz, highHz], 'bandpass', fs=samplingRate, output='sos')</c>).</summary>
    /// <param name="order">Filter order, 1 to <see cref="MaxOrder"/>.</param>
    /// <param name="lowHz">Lower cutoff in Hz.</param>
    /// <param name="highHz">Upper cutoff in Hz, below the Nyquist frequency.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static SecondOrderSections BandPass(int order, double lowHz, double highHz, double samplingRate) => Design(order, FilterBand.BandPass, lowHz, highHz, samplingRate);

    /// <summary>Designs a band-stop Butterworth filter (<c>butter(order, [lowHz, highHz], 'bandstop', fs=samplingRate, output='sos')</c>).</summary>
    /// <param name="order">Filter order, 1 to <see cref="MaxOrder"/>.</param>
    /// <param name="lowHz">Lower edge of the stop band in Hz.</param>
    /// <param name="highHz">Upper edge of the stop band in Hz, below the Nyquist frequency.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static SecondOrderSections BandStop(int order, double lowHz, double highHz, double samplingRate) => Design(order, FilterBand.BandStop, lowHz, highHz, samplingRate);

    private static void ValidateCommon(int order, FilterBand band, double samplingRate)
    {
        if (order < 1 || order > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"order must be between 1 and {MaxOrder} (got {order}).");
        }

        if (!double.IsFinite(samplingRate) || samplingRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate, $"samplingRate must be finite and greater than 0 (got {F(samplingRate)}).");
        }

        if (!Enum.IsDefined(band))
        {
            throw new NotSupportedException($"band {(int)band} is not a supported FilterBand.");
        }
    }

    private static void ValidateFrequency(string name, double hz, double samplingRate)
    {
        double nyquist = samplingRate / 2;
        if (!(hz > 0 && hz < nyquist))
        {
            throw new ArgumentOutOfRangeException(name, hz, $"{name} must be between 0 and the Nyquist frequency {F(nyquist)} Hz, exclusive (got {F(hz)}).");
        }
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static SecondOrderSections DesignNormalized(int order, FilterBand band, double[] wn)
    {
        // buttap: poles on the left half of the unit circle; the middle one (odd N) is exactly -1.
        var z = new List<Complex>();
        var p = new List<Complex>(order);
        for (int m = -order + 1; m < order; m += 2)
        {
            double theta = Math.PI * m / (2 * order);
            p.Add(new Complex(-Math.Cos(theta), -Math.Sin(theta)));
        }

        double k = 1.0;
        const double fs = 2.0;
        var warped = new double[wn.Length];
        for (int i = 0; i < wn.Length; i++)
        {
            warped[i] = 2 * fs * Math.Tan(Math.PI * wn[i] / fs);
        }

        switch (band)
        {
            case FilterBand.LowPass:
                LowPassToLowPass(z, p, ref k, warped[0]);
                break;
            case FilterBand.HighPass:
                LowPassToHighPass(z, p, ref k, warped[0]);
                break;
            case FilterBand.BandPass:
                LowPassToBandPass(ref z, ref p, ref k, Math.Sqrt(warped[0] * warped[1]), warped[1] - warped[0]);
                break;
            default:
                LowPassToBandStop(ref z, ref p, ref k, Math.Sqrt(warped[0] * warped[1]), warped[1] - warped[0]);
                break;
        }

        Bilinear(z, p, ref k, fs);
        return new SecondOrderSections(ZpkToSos(z, p, k));
    }

    private static void LowPassToLowPass(List<Complex> z, List<Complex> p, ref double k, double wo)
    {
        int degree = p.Count - z.Count;
        for (int i = 0; i < z.Count; i++)
        {
            z[i] *= wo;
        }

        for (int i = 0; i < p.Count; i++)
        {
            p[i] *= wo;
        }

        k *= Math.Pow(wo, degree);
    }

    private static void LowPassToHighPass(List<Complex> z, List<Complex> p, ref double k, double wo)
    {
        int degree = p.Count - z.Count;
        k *= (Product(z, -1, Complex.Zero) / Product(p, -1, Complex.Zero)).Real;
        for (int i = 0; i < z.Count; i++)
        {
            z[i] = wo / z[i];
        }

        for (int i = 0; i < p.Count; i++)
        {
            p[i] = wo / p[i];
        }

        for (int i = 0; i < degree; i++)
        {
            z.Add(Complex.Zero);
        }
    }

    private static void LowPassToBandPass(ref List<Complex> z, ref List<Complex> p, ref double k, double wo, double bw)
    {
        int degree = p.Count - z.Count;
        z = SplitBand(z, c => c * bw / 2, wo);
        p = SplitBand(p, c => c * bw / 2, wo);
        for (int i = 0; i < degree; i++)
        {
            z.Add(Complex.Zero);
        }

        k *= Math.Pow(bw, degree);
    }

    private static void LowPassToBandStop(ref List<Complex> z, ref List<Complex> p, ref double k, double wo, double bw)
    {
        int degree = p.Count - z.Count;
        k *= (Product(z, -1, Complex.Zero) / Product(p, -1, Complex.Zero)).Real;
        z = SplitBand(z, c => bw / 2 / c, wo);
        p = SplitBand(p, c => bw / 2 / c, wo);
        for (int i = 0; i < degree; i++)
        {
            z.Add(new Complex(0, wo));
        }

        for (int i = 0; i < degree; i++)
        {
            z.Add(new Complex(0, -wo));
        }
    }

    // [c + sqrt(c² − wo²) for all c] followed by [c − sqrt(c² − wo²) for all c], c = map(original), as lp2bp_zpk/lp2bs_zpk build them.
    private static List<Complex> SplitBand(List<Complex> roots, Func<Complex, Complex> map, double wo)
    {
        var mapped = roots.Select(map).ToArray();
        var result = new List<Complex>(2 * mapped.Length);
        var roots2 = new Complex[mapped.Length];
        for (int i = 0; i < mapped.Length; i++)
        {
            roots2[i] = Complex.Sqrt((mapped[i] * mapped[i]) - (wo * wo));
            result.Add(mapped[i] + roots2[i]);
        }

        for (int i = 0; i < mapped.Length; i++)
        {
            result.Add(mapped[i] - roots2[i]);
        }

        return result;
    }

    private static void Bilinear(List<Complex> z, List<Complex> p, ref double k, double fs)
    {
        int degree = p.Count - z.Count;
        double fs2 = 2.0 * fs;
        k *= (Product(z, -1, fs2) / Product(p, -1, fs2)).Real;
        for (int i = 0; i < z.Count; i++)
        {
            z[i] = (fs2 + z[i]) / (fs2 - z[i]);
        }

        for (int i = 0; i < p.Count; i++)
        {
            p[i] = (fs2 + p[i]) / (fs2 - p[i]);
        }

        for (int i = 0; i < degree; i++)
        {
            z.Add(new Complex(-1, 0));
        }
    }

    // prod(offset + sign·r) over the roots, left to right like numpy.prod.
    private static Complex Product(List<Complex> roots, double sign, Complex offset)
    {
        Complex result = Complex.One;
        foreach (Complex r in roots)
        {
            result *= offset + (sign * r);
        }

        return result;
    }

    private static bool IsReal(Complex c) => c.Imaginary == 0;

    private static double DistanceToUnitCircle(Complex c) => Math.Abs(1 - Complex.Abs(c));

    // zpk2sos with pairing='nearest' for a digital system (SciPy 1.10 _filter_design.zpk2sos).
    private static double[] ZpkToSos(List<Complex> zeros, List<Complex> poles, double k)
    {
        if (zeros.Count == 0 && poles.Count == 0)
        {
            return [k, 0, 0, 1, 0, 0];
        }

        var z = new List<Complex>(zeros);
        var p = new List<Complex>(poles);
        while (p.Count < z.Count)
        {
            p.Add(Complex.Zero);
        }

        while (z.Count < p.Count)
        {
            z.Add(Complex.Zero);
        }

        int sections = (p.Count + 1) / 2;
        if (p.Count % 2 == 1)
        {
            p.Add(Complex.Zero);
            z.Add(Complex.Zero);
        }

        z = ComplexThenReal(z);
        p = ComplexThenReal(p);
        var sos = new double[sections * 6];
        for (int si = sections - 1; si >= 0; si--)
        {
            int p1Index = IndexOfWorst(p, Enumerable.Range(0, p.Count));
            Complex p1 = p[p1Index];
            p.RemoveAt(p1Index);
            Span<double> section = sos.AsSpan(si * 6, 6);
            if (IsReal(p1) && p.Count(IsReal) == 0)
            {
                Complex z1 = Take(z, NearestIndex(z, p1, RootKind.Real));
                WriteSection(section, [z1, Complex.Zero], [p1, Complex.Zero]);
            }
            else if (p.Count + 1 == z.Count && !IsReal(p1) && p.Count(IsReal) == 1 && z.Count(IsReal) == 1)
            {
                Complex z1 = Take(z, NearestIndex(z, p1, RootKind.Complex));
                WriteSection(section, [z1, Complex.Conjugate(z1)], [p1, Complex.Conjugate(p1)]);
            }
            else
            {
                Complex p2;
                if (IsReal(p1))
                {
                    int p2Index = IndexOfWorst(p, Enumerable.Range(0, p.Count).Where(i => IsReal(p[i])));
                    p2 = p[p2Index];
                    p.RemoveAt(p2Index);
                }
                else
                {
                    p2 = Complex.Conjugate(p1);
                }

                if (z.Count > 0)
                {
                    Complex z1 = Take(z, NearestIndex(z, p1, RootKind.Any));
                    if (!IsReal(z1))
                    {
                        WriteSection(section, [z1, Complex.Conjugate(z1)], [p1, p2]);
                    }
                    else if (z.Count > 0)
                    {
                        Complex z2 = Take(z, NearestIndex(z, p1, RootKind.Real));
                        WriteSection(section, [z1, z2], [p1, p2]);
                    }
                    else
                    {
                        WriteSection(section, [z1], [p1, p2]);
                    }
                }
                else
                {
                    WriteSection(section, [], [p1, p2]);
                }
            }
        }

        sos[0] *= k;
        sos[1] *= k;
        sos[2] *= k;
        return sos;
    }

    private enum RootKind
    {
        Any,
        Real,
        Complex,
    }

    private static Complex Take(List<Complex> roots, int index)
    {
        Complex r = roots[index];
        roots.RemoveAt(index);
        return r;
    }

    private static int IndexOfWorst(List<Complex> p, IEnumerable<int> candidates)
    {
        int best = -1;
        double bestDistance = double.PositiveInfinity;
        foreach (int i in candidates)
        {
            double d = DistanceToUnitCircle(p[i]);
            if (best < 0 || d < bestDistance)
            {
                best = i;
                bestDistance = d;
            }
        }

        return best;
    }

    // _nearest_real_complex_idx: the closest root (by |root − target|) of the requested kind.
    private static int NearestIndex(List<Complex> roots, Complex target, RootKind kind)
    {
        int best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < roots.Count; i++)
        {
            if ((kind == RootKind.Real && !IsReal(roots[i])) || (kind == RootKind.Complex && IsReal(roots[i])))
            {
                continue;
            }

            double d = Complex.Abs(roots[i] - target);
            if (best < 0 || d < bestDistance)
            {
                best = i;
                bestDistance = d;
            }
        }

        if (best < 0)
        {
            throw new InvalidOperationException($"zpk2sos found no {kind} root to pair with {target}.");
        }

        return best;
    }

    // Writes one biquad from up to two zeros and two poles (SciPy's _single_zpksos with k = 1): the polynomial coefficients are
    // right-aligned in b0..b2 and a0..a2.
    private static void WriteSection(Span<double> section, Complex[] zeros, Complex[] poles)
    {
        section.Clear();
        Complex[] b = Poly(zeros);
        Complex[] a = Poly(poles);
        for (int i = 0; i < b.Length; i++)
        {
            section[3 - b.Length + i] = b[i].Real;
        }

        for (int i = 0; i < a.Length; i++)
        {
            section[6 - a.Length + i] = a[i].Real;
        }
    }

    // numpy.poly: convolve [1, -r] for each root in order.
    private static Complex[] Poly(Complex[] roots)
    {
        Complex[] c = [Complex.One];
        foreach (Complex r in roots)
        {
            var next = new Complex[c.Length + 1];
            for (int i = 0; i < c.Length; i++)
            {
                next[i] += c[i];
                next[i + 1] += c[i] * -r;
            }

            c = next;
        }

        return c;
    }

    // _cplxreal: conjugate pairs collapsed to their positive-imaginary member (averaged), sorted by real part then |imag|,
    // followed by the real roots sorted by value; real roots get an exactly-zero imaginary part.
    private static List<Complex> ComplexThenReal(List<Complex> roots)
    {
        const double tol = 100 * 2.220446049250313e-16; // 100 × machine epsilon, SciPy's default
        var sorted = roots.OrderBy(r => r.Real).ThenBy(r => Math.Abs(r.Imaginary)).ToList();
        var real = new List<Complex>();
        var positive = new List<Complex>();
        var negative = new List<Complex>();
        foreach (Complex r in sorted)
        {
            if (Math.Abs(r.Imaginary) <= tol * Complex.Abs(r))
            {
                real.Add(new Complex(r.Real, 0));
            }
            else if (r.Imaginary > 0)
            {
                positive.Add(r);
            }
            else
            {
                negative.Add(r);
            }
        }

        if (positive.Count != negative.Count)
        {
            throw new InvalidOperationException("The roots contain a complex value with no matching conjugate.");
        }

        // Runs of (nearly) equal real parts are re-sorted by |imag| so conjugates line up.
        int start = 0;
        while (start < positive.Count)
        {
            int stop = start + 1;
            while (stop < positive.Count && positive[stop].Real - positive[stop - 1].Real <= tol * Complex.Abs(positive[stop - 1]))
            {
                stop++;
            }

            if (stop - start > 1)
            {
                SortRunByImaginary(positive, start, stop);
                SortRunByImaginary(negative, start, stop);
            }

            start = stop;
        }

        var result = new List<Complex>(positive.Count + real.Count);
        for (int i = 0; i < positive.Count; i++)
        {
            if (Complex.Abs(positive[i] - Complex.Conjugate(negative[i])) > tol * Complex.Abs(negative[i]))
            {
                throw new InvalidOperationException("The roots contain a complex value with no matching conjugate.");
            }

            result.Add((positive[i] + Complex.Conjugate(negative[i])) / 2);
        }

        result.AddRange(real);
        return result;
    }

    private static void SortRunByImaginary(List<Complex> list, int start, int stop)
    {
        var run = list.GetRange(start, stop - start).OrderBy(r => Math.Abs(r.Imaginary)).ToList();
        for (int i = 0; i < run.Count; i++)
        {
            list[start + i] = run[i];
        }
    }
}
