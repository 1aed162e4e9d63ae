using EcgVision.Imaging.Digitization;
using EcgVision.Signals;

namespace EcgVision.Imaging.Tests.Digitization;

/// <summary>Accuracy measures for a digitised record against its source, per lead over the lead's printed window.</summary>
internal static class DigitizationMetrics
{
    /// <summary>Per-lead (Pearson r, RMSE in mV, SNR in dB) over each window; <paramref name="truth"/> must be at the output rate.
    /// With <paramref name="removeOffset"/> both are compared after subtracting the mean difference (vertical alignment, as the
    /// Challenge 2024 scorer does), and with <paramref name="maxShift"/> &gt; 0 the best time shift within ±maxShift samples is used.</summary>
    public static List<(string Lead, double R, double Rmse, double Snr)> PerLead(PaperEcgDigitization d, EcgRecord truth, bool removeOffset = true, int maxShift = 0)
    {
        var result = new List<(string, double, double, double)>();
        foreach (DigitizedLeadWindow w in d.LeadWindows)
        {
            ReadOnlySpan<float> x = truth.GetLead(w.Lead);
            ReadOnlySpan<float> y = d.Record.GetLead(w.Lead);
            (double R, double Rmse, double Snr) best = (double.NegativeInfinity, 0, 0);
            for (int shift = -maxShift; shift <= maxShift; shift++)
            {
                int a = Math.Max(w.StartSample, w.StartSample - shift), b = Math.Min(w.EndSampleExclusive, Math.Min(x.Length, y.Length) - shift);
                if (b - a < 10)
                {
                    continue;
                }

                var m = Measure(x.Slice(a + shift, b - a), y.Slice(a, b - a), removeOffset);
                if (m.Snr > best.Snr || double.IsNegativeInfinity(best.R))
                {
                    best = m;
                }
            }

            result.Add((w.Lead, best.R, best.Rmse, best.Snr));
        }

        return result;
    }

    /// <summary>Challenge-2024-style alignment for ECG-Image-Kit pages: each lead window is compared with the source at the window's
    /// own time and at t = 0 (some ECG-Image-Kit versions print every lead from the start of the record), each ±<paramref name="maxShift"/>
    /// samples, and the best SNR is kept.</summary>
    public static List<(string Lead, double R, double Rmse, double Snr)> PerLeadAligned(PaperEcgDigitization d, EcgRecord truth, int maxShift = 3)
    {
        var result = new List<(string, double, double, double)>();
        foreach (DigitizedLeadWindow w in d.LeadWindows)
        {
            float[] x = truth.GetLead(w.Lead).ToArray();
            ReadOnlySpan<float> y = d.Record.GetLead(w.Lead).Slice(w.StartSample, w.EndSampleExclusive - w.StartSample);
            (double R, double Rmse, double Snr) best = (0, 0, double.NegativeInfinity);
            foreach (int origin in new[] { w.StartSample, 0 })
            {
                for (int shift = -maxShift; shift <= maxShift; shift++)
                {
                    int a = origin + shift;
                    if (a < 0 || a + y.Length > x.Length)
                    {
                        continue;
                    }

                    var m = Measure(x.AsSpan(a, y.Length), y, removeOffset: true);
                    if (m.Snr > best.Snr)
                    {
                        best = m;
                    }
                }
            }

            result.Add((w.Lead, best.R, best.Rmse, best.Snr));
        }

        return result;
    }

    public static (double R, double Rmse, double Snr) Measure(ReadOnlySpan<float> x, ReadOnlySpan<float> y, bool removeOffset)
    {
        int n = x.Length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0, se = 0, sx2 = 0;
        double offset = removeOffset ? my - mx : 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
            double e = x[i] - (y[i] - offset);
            se += e * e;
            sx2 += (double)x[i] * x[i];
        }

        double r = sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : 0;
        return (r, Math.Sqrt(se / n), 10 * Math.Log10(sx2 / Math.Max(se, 1e-12)));
    }

    /// <summary>Linear resampling of every lead to <paramref name="rate"/> Hz.</summary>
    public static EcgRecord Resample(EcgRecord record, double rate, int length)
    {
        var leads = new float[record.LeadCount][];
        for (int l = 0; l < record.LeadCount; l++)
        {
            ReadOnlySpan<float> x = record.GetLead(l);
            leads[l] = new float[length];
            for (int i = 0; i < length; i++)
            {
                double t = i / rate * record.SamplingRate;
                int j = Math.Min((int)t, x.Length - 1), k = Math.Min(j + 1, x.Length - 1);
                leads[l][i] = (float)(x[j] + ((x[k] - x[j]) * (t - j)));
            }
        }

        return EcgRecord.FromLeads(leads, rate, record.LeadNames);
    }
}
