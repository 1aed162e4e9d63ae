using EcgVision.Signals;

namespace EcgVision.Imaging.Tests;

/// <summary>Synthetic 12-lead records for rendering tests and benchmarks: Gaussian P, Q, R, S, T waves with plausible polarity per lead.</summary>
internal static class TestEcg
{
    // P, Q, R, S, T amplitudes in mV per standard lead (I, II, III, aVR, aVL, aVF, V1–V6).
    private static readonly double[][] s_amplitudes =
    [
        [0.10, -0.05, 0.80, -0.10, 0.25],
        [0.15, -0.08, 1.20, -0.15, 0.35],
        [0.05, -0.05, 0.50, -0.10, 0.12],
        [-0.12, 0.05, -0.90, 0.10, -0.30],
        [0.03, -0.03, 0.25, -0.10, 0.08],
        [0.10, -0.05, 0.85, -0.12, 0.25],
        [0.08, 0.00, 0.25, -1.00, -0.10],
        [0.08, 0.00, 0.45, -1.30, 0.40],
        [0.08, -0.05, 0.80, -0.80, 0.45],
        [0.08, -0.08, 1.30, -0.45, 0.45],
        [0.08, -0.10, 1.20, -0.25, 0.35],
        [0.08, -0.10, 0.90, -0.15, 0.30],
    ];

    private static readonly double[] s_offsets = [-0.18, -0.03, 0, 0.03, 0.28];
    private static readonly double[] s_widths = [0.025, 0.008, 0.010, 0.010, 0.045];

    /// <summary>A normal sinus rhythm record at the given heart rate.</summary>
    public static EcgRecord Sinus(double rate = 500, double seconds = 10, double bpm = 70, EcgMetadata? metadata = null)
    {
        int n = (int)Math.Round(rate * seconds);
        var leads = new float[12][];
        double rr = 60 / bpm;
        for (int l = 0; l < 12; l++)
        {
            leads[l] = new float[n];
            for (int i = 0; i < n; i++)
            {
                double t = i / rate;
                double v = 0;
                for (double beat = 0.35; beat < seconds + 1; beat += rr)
                {
                    for (int w = 0; w < 5; w++)
                    {
                        double d = (t - beat - s_offsets[w]) / s_widths[w];
                        if (d > -6 && d < 6)
                        {
                            v += s_amplitudes[l][w] * Math.Exp(-0.5 * d * d);
                        }
                    }
                }

                leads[l][i] = (float)v;
            }
        }

        return EcgRecord.FromLeads(leads, rate, metadata: metadata ?? new EcgMetadata { Id = "synthetic-70bpm", Age = 56, Sex = Sex.Female });
    }

    /// <summary>A record that is zero everywhere except <paramref name="lead"/>, which holds <paramref name="fill"/>(t).</summary>
    public static EcgRecord OnlyLead(string lead, Func<double, double> fill, double rate = 500, double seconds = 10)
    {
        int n = (int)Math.Round(rate * seconds);
        var leads = new float[12][];
        int target = StandardLeads.TwelveLead.ToList().FindIndex(s => s == lead);
        for (int l = 0; l < 12; l++)
        {
            leads[l] = new float[n];
            if (l == target)
            {
                for (int i = 0; i < n; i++)
                {
                    leads[l][i] = (float)fill(i / rate);
                }
            }
        }

        return EcgRecord.FromLeads(leads, rate);
    }
}
