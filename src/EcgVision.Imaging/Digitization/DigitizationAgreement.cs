using EcgVision.Signals;
using EcgVision.Signals.Processing;

namespace EcgVision.Imaging.Digitization;

/// <summary>How closely one digitised lead matches the true signal inside its printed window.</summary>
/// <param name="Lead">The standard lead name.</param>
/// <param name="Correlation">Pearson correlation (NaN when either side is constant).</param>
/// <param name="SnrDecibels">10·log10(Σx² / Σ(x − x̂)²), the PhysioNet Challenge 2024 digitisation score without its alignment
/// search; +∞ for an exact copy.</param>
public sealed record DigitizedLeadAgreement(string Lead, double Correlation, double SnrDecibels);

/// <summary>Compares a digitised printout with the signal it was printed from (when that signal is known: evaluation, tests).</summary>
public static class DigitizationAgreement
{
    /// <summary>Per-lead agreement over each lead's printed window, at the digitiser's sampling rate (the true record is resampled
    /// to it when the rates differ). No time alignment is searched: a time-axis error shows as lower agreement.</summary>
    /// <param name="digitized">The digitiser's output.</param>
    /// <param name="truth">The record the page was printed from (the 12 standard leads, the same start time).</param>
    /// <returns>One entry per lead window of at least 3 samples, in the order of <see cref="PaperEcgDigitization.LeadWindows"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException"><paramref name="truth"/> lacks a lead the page shows.</exception>
    public static IReadOnlyList<DigitizedLeadAgreement> Compare(PaperEcgDigitization digitized, EcgRecord truth)
    {
        ArgumentNullException.ThrowIfNull(digitized);
        ArgumentNullException.ThrowIfNull(truth);
        var reference = Math.Abs(truth.SamplingRate - digitized.Record.SamplingRate) > 1e-9 ? truth.Resample(digitized.Record.SamplingRate) : truth;
        var result = new List<DigitizedLeadAgreement>(digitized.LeadWindows.Count);
        foreach (var window in digitized.LeadWindows)
        {
            var x = reference.GetLead(window.Lead);
            var y = digitized.Record.GetLead(window.Lead);
            int end = Math.Min(window.EndSampleExclusive, Math.Min(x.Length, y.Length));
            if (end - window.StartSample < 3)
            {
                continue;
            }

            x = x[window.StartSample..end];
            y = y[window.StartSample..end];
            double signal = 0, error = 0;
            for (int i = 0; i < x.Length; i++)
            {
                signal += (double)x[i] * x[i];
                error += (double)(x[i] - y[i]) * (x[i] - y[i]);
            }

            result.Add(new DigitizedLeadAgreement(window.Lead, Pearson(x, y), error == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / error)));
        }

        return result;
    }

    /// <summary>Pearson correlation of two equally long series.</summary>
    /// <param name="x">The first series.</param>
    /// <param name="y">The second series.</param>
    /// <returns>r in [−1, 1]; NaN when either series is constant.</returns>
    /// <exception cref="ArgumentException">The lengths differ or are below 2.</exception>
    public static double Pearson(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length || x.Length < 2)
        {
            throw new ArgumentException($"Both series must have the same length of at least 2 (got {x.Length} and {y.Length}).", nameof(y));
        }

        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double a = x[i] - mx, b = y[i] - my;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
