namespace EcgVision.Tests.Signals.Processing;

/// <summary>Simple Gaussian-sum PQRST test signals with known R-peak positions.</summary>
internal static class SyntheticBeats
{
    /// <summary>A lead with beats at <paramref name="bpm"/> (±<paramref name="jitter"/> RR variation), optional wander and noise.</summary>
    /// <returns>The signal and the exact sample index of every R peak.</returns>
    public static (float[] Signal, int[] RPeaks) Generate(double bpm, double fs, double seconds, int seed,
        double wander = 0.5, double noise = 0.03, double polarity = 1, double jitter = 0.03, double rAmplitude = 1.2)
    {
        var random = new Random(seed);
        int n = (int)Math.Round(seconds * fs);
        var x = new double[n];
        var peaks = new List<int>();
        double rr = 60 / bpm;
        double t = 0.6;
        while (t < seconds - 0.6)
        {
            int r = (int)Math.Round(t * fs);
            peaks.Add(r);
            double tr = r / fs;
            double q = Math.Sqrt(rr); // QT and PR shorten with the rate (Bazett-like)
            (double A, double Mu, double Sd)[] waves =
            [
                (0.15, -0.16 * q, 0.025), (-0.12 * rAmplitude, -0.025, 0.009), (rAmplitude, 0, 0.011),
                (-0.25 * rAmplitude, 0.028, 0.01), (0.35, 0.28 * q, 0.045 * q),
            ];
            int from = Math.Max(0, (int)((tr - 0.5) * fs)), to = Math.Min(n - 1, (int)((tr + 0.7) * fs));
            for (int i = from; i <= to; i++)
            {
                double dt = (i / fs) - tr;
                foreach (var (a, mu, sd) in waves)
                {
                    x[i] += polarity * a * Math.Exp(-((dt - mu) * (dt - mu)) / (2 * sd * sd));
                }
            }

            t += rr * (1 + (jitter * ((2 * random.NextDouble()) - 1)));
        }

        double phase = random.NextDouble() * 6;
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            double ti = i / fs;
            double baseline = wander * (Math.Sin((2 * Math.PI * 0.25 * ti) + phase) + (0.5 * Math.Sin((2 * Math.PI * 0.07 * ti) + 1)));
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            y[i] = (float)(x[i] + baseline + (noise * gaussian));
        }

        return (y, [.. peaks]);
    }

    /// <summary>Counts true positives (each reference peak matched at most once within ±tolerance samples) and false positives.</summary>
    public static (int TruePositives, int FalsePositives, double MeanAbsError) Score(int[] reference, int[] detected, int tolerance)
    {
        var used = new bool[detected.Length];
        int tp = 0;
        double error = 0;
        foreach (int r in reference)
        {
            int best = -1;
            for (int j = 0; j < detected.Length; j++)
            {
                if (!used[j] && Math.Abs(detected[j] - r) <= tolerance && (best < 0 || Math.Abs(detected[j] - r) < Math.Abs(detected[best] - r)))
                {
                    best = j;
                }
            }

            if (best >= 0)
            {
                used[best] = true;
                tp++;
                error += Math.Abs(detected[best] - r);
            }
        }

        return (tp, detected.Length - tp, tp == 0 ? double.NaN : error / tp);
    }
}
