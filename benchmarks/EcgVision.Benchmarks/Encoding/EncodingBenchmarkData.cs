namespace EcgVision.Benchmarks.Encoding;

/// <summary>Seeded ECG-like test data: 12 leads × 10 s at 100 Hz (1000 samples per lead), lead-major.</summary>
internal static class EncodingBenchmarkData
{
    public const int Leads = 12;
    public const int Samples = 1000;

    public static float[] TwelveLeadRecord(int seed = 42)
    {
        var random = new Random(seed);
        var data = new float[Leads * Samples];
        for (int l = 0; l < Leads; l++)
        {
            double gain = 0.5 + random.NextDouble();
            for (int i = 0; i < Samples; i++)
            {
                double t = i / 100.0;
                double phase = t % 0.8; // 75 bpm
                double qrs = Math.Exp(-0.5 * Math.Pow((phase - 0.3) / 0.012, 2));
                double tWave = 0.3 * Math.Exp(-0.5 * Math.Pow((phase - 0.55) / 0.04, 2));
                double pWave = 0.15 * Math.Exp(-0.5 * Math.Pow((phase - 0.14) / 0.025, 2));
                data[l * Samples + i] = (float)(gain * (qrs + tWave + pWave) + 0.02 * (random.NextDouble() - 0.5) + 0.1 * Math.Sin(2 * Math.PI * 0.3 * t));
            }
        }

        return data;
    }
}
