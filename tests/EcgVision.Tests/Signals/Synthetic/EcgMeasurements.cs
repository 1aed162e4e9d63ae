using EcgVision.Signals;

namespace EcgVision.Tests.Signals.Synthetic;

/// <summary>Simple measurements on noise-free generated signals (what a reader would measure on paper), used as test oracles.</summary>
internal static class EcgMeasurements
{
    private static readonly string[] s_independent = ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"];

    /// <summary>QRS onset and offset (sample indices) where the spatial velocity of the eight independent leads exceeds 10% of its peak near the R fiducial.</summary>
    public static (int On, int Off) QrsBounds(EcgRecord r, int rPeak)
    {
        int half = (int)(0.15 * r.SamplingRate);
        int from = Math.Max(1, rPeak - half), to = Math.Min(r.SampleCount - 2, rPeak + half);
        var velocity = new double[to - from + 1];
        foreach (string name in s_independent)
        {
            var lead = r.GetLead(name);
            for (int i = from; i <= to; i++)
            {
                double d = lead[i + 1] - lead[i - 1];
                velocity[i - from] += d * d;
            }
        }

        double max = velocity.Max();
        int on = Array.FindIndex(velocity, v => v > 0.01 * max); // 0.01 on squared velocity = 10% on velocity
        int off = Array.FindLastIndex(velocity, v => v > 0.01 * max);
        return (on + from, off + from);
    }

    public static double QrsDurationMs(EcgRecord r, int rPeak)
    {
        var (on, off) = QrsBounds(r, rPeak);
        return (off - on) * 1000 / r.SamplingRate;
    }

    /// <summary>PR interval: from the P onset in lead II (10% of the P peak) to the QRS onset.</summary>
    public static double PrIntervalMs(EcgRecord r, int rPeak)
    {
        var (on, _) = QrsBounds(r, rPeak);
        var ii = r.GetLead("II");
        int from = Math.Max(0, rPeak - (int)(0.45 * r.SamplingRate)), to = on - (int)(0.01 * r.SamplingRate);
        int peak = from;
        for (int i = from; i <= to; i++)
        {
            if (ii[i] > ii[peak])
            {
                peak = i;
            }
        }

        int start = peak;
        while (start > from && ii[start] > 0.1 * ii[peak])
        {
            start--;
        }

        return (on - start) * 1000 / r.SamplingRate;
    }

    public static double Min(EcgRecord r, string lead, int from, int to) => r.GetLead(lead)[from..(to + 1)].ToArray().Min();

    public static double Max(EcgRecord r, string lead, int from, int to) => r.GetLead(lead)[from..(to + 1)].ToArray().Max();

    /// <summary>Sokolow–Lyon index: S in V1 plus the larger R in V5 or V6 (mV).</summary>
    public static double SokolowLyon(EcgRecord r, int rPeak)
    {
        var (on, off) = QrsBounds(r, rPeak);
        return -Min(r, "V1", on, off) + Math.Max(Max(r, "V5", on, off), Max(r, "V6", on, off));
    }

    public static double MaxLimbQrsPeakToPeak(EcgRecord r, int rPeak)
    {
        var (on, off) = QrsBounds(r, rPeak);
        return StandardLeads.Limb.Max(l => Max(r, l, on, off) - Min(r, l, on, off));
    }

    /// <summary>Frontal QRS axis in degrees from the net QRS areas of I and aVF (hexaxial: aVF is scaled by 2/√3).</summary>
    public static double FrontalAxis(EcgRecord r, int rPeak)
    {
        var (on, off) = QrsBounds(r, rPeak);
        double i = 0, f = 0;
        for (int k = on; k <= off; k++)
        {
            i += r.GetLead("I")[k];
            f += r.GetLead("aVF")[k];
        }

        return Math.Atan2(2 * f / Math.Sqrt(3), i) * 180 / Math.PI;
    }

    /// <summary>ST level 60 ms after the J point (QRS offset), in mV.</summary>
    public static double StLevel(EcgRecord r, string lead, int rPeak)
    {
        var (_, off) = QrsBounds(r, rPeak);
        return r.GetLead(lead)[off + (int)(0.06 * r.SamplingRate)];
    }

    /// <summary>Duration (ms) and depth (mV) of an initial negative deflection (Q or QS); (0, 0) when the QRS starts upwards.</summary>
    public static (double DurationMs, double DepthMv) InitialQ(EcgRecord r, string lead, int rPeak)
    {
        var (on, off) = QrsBounds(r, rPeak);
        var x = r.GetLead(lead);
        double baseline = x[on];
        int i = on;
        while (i < off && Math.Abs(x[i] - baseline) < 0.05)
        {
            i++;
        }

        if (x[i] - baseline > 0)
        {
            return (0, 0);
        }

        int end = i;
        double depth = 0;
        while (end < off && x[end] - baseline < 0)
        {
            depth = Math.Max(depth, baseline - x[end]);
            end++;
        }

        return ((end - on) * 1000 / r.SamplingRate, depth);
    }

    public static double[] RrIntervals(IReadOnlyList<int> peaks, double fs) =>
        peaks.Zip(peaks.Skip(1), (a, b) => (b - a) / fs).ToArray();

    public static double CoefficientOfVariation(double[] x)
    {
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length) / mean;
    }
}
