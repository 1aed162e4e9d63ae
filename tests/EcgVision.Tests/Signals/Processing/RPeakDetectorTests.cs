using Xunit.Abstractions;
using EcgVision.Signals;
using EcgVision.Signals.Processing;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Processing;

public class RPeakDetectorTests(ITestOutputHelper output)
{
    public static TheoryData<double, double, double> RatesAndPolarities()
    {
        var data = new TheoryData<double, double, double>();
        foreach (double fs in new[] { 100.0, 500.0 })
        {
            foreach (double bpm in new[] { 40.0, 60.0, 100.0, 140.0, 180.0 })
            {
                foreach (double polarity in new[] { 1.0, -1.0 })
                {
                    data.Add(fs, bpm, polarity);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RatesAndPolarities))]
    public void Detect_SyntheticBeatsWithWanderAndNoise_FindsAtLeast99PercentWithin50Ms(double fs, double bpm, double polarity)
    {
        var detector = new RPeakDetector();
        int truePositives = 0, falsePositives = 0, total = 0;
        for (int seed = 0; seed < 4; seed++)
        {
            (float[] x, int[] reference) = SyntheticBeats.Generate(bpm, fs, seconds: 30, seed: seed + (int)bpm, polarity: polarity);
            int[] detected = detector.Detect(x, fs);
            var (tp, fp, _) = SyntheticBeats.Score(reference, detected, (int)Math.Round(0.05 * fs));
            truePositives += tp;
            falsePositives += fp;
            total += reference.Length;
        }

        output.WriteLine($"{bpm} bpm at {fs} Hz, polarity {polarity}: {truePositives}/{total} found, {falsePositives} false positives");
        ((double)truePositives / total).Should().BeGreaterThanOrEqualTo(0.99, $"{bpm} bpm at {fs} Hz, polarity {polarity}: found {truePositives} of {total}");
        ((double)falsePositives / total).Should().BeLessThanOrEqualTo(0.01, $"{bpm} bpm at {fs} Hz: {falsePositives} false positives for {total} beats");
    }

    [Theory]
    [InlineData(100.0)]
    [InlineData(500.0)]
    public void Detect_CleanBeats_LocatesPeaksWithinOneSampleOrTenMs(double fs)
    {
        (float[] x, int[] reference) = SyntheticBeats.Generate(75, fs, 20, seed: 1, wander: 0, noise: 0, jitter: 0.1);
        int[] detected = new RPeakDetector().Detect(x, fs);
        detected.Should().HaveSameCount(reference);
        var (tp, _, meanError) = SyntheticBeats.Score(reference, detected, Math.Max(1, (int)Math.Round(0.01 * fs)));
        tp.Should().Be(reference.Length);
        meanError.Should().BeLessThan(Math.Max(1, 0.004 * fs));
    }

    [Fact]
    public void Detect_HeavyWanderAndSmallQrs_StillFindsBeats()
    {
        (float[] x, int[] reference) = SyntheticBeats.Generate(72, 250, 30, seed: 9, wander: 2.0, noise: 0.05, rAmplitude: 0.5);
        int[] detected = new RPeakDetector().Detect(x, 250);
        var (tp, fp, _) = SyntheticBeats.Score(reference, detected, 12);
        tp.Should().BeGreaterThanOrEqualTo(reference.Length - 1);
        fp.Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public void Detect_FlatOrTooShortSignal_ReturnsNoPeaks()
    {
        var detector = new RPeakDetector();
        detector.Detect(new float[5000], 500).Should().BeEmpty();
        detector.Detect(new float[10], 500).Should().BeEmpty();
    }

    [Fact]
    public void Detect_Record_UsesLeadIIByDefaultAndCanCombineLeads()
    {
        (float[] lead, int[] reference) = SyntheticBeats.Generate(80, 500, 10, seed: 3, polarity: 1);
        (float[] inverted, _) = SyntheticBeats.Generate(80, 500, 10, seed: 3, polarity: -1);
        var leads = new float[12][];
        for (int i = 0; i < 12; i++)
        {
            leads[i] = i == 1 ? lead : i % 2 == 0 ? inverted : new float[lead.Length];
        }

        EcgRecord record = EcgRecord.FromLeads(leads, 500);
        int[] onLeadII = new RPeakDetector().Detect(record);
        SyntheticBeats.Score(reference, onLeadII, 25).TruePositives.Should().Be(reference.Length);

        int[] combined = new RPeakDetector(new() { CombineLeads = true }).Detect(record);
        SyntheticBeats.Score(reference, combined, 25).TruePositives.Should().Be(reference.Length);

        int[] onV2 = new RPeakDetector(new() { Lead = "v2" }).Detect(record);
        onV2.Should().BeEmpty("V2 is flat in this record");

        Action missing = () => new RPeakDetector(new() { Lead = "X9" }).Detect(record);
        missing.Should().Throw<KeyNotFoundException>().WithMessage("*X9*");
    }

    [Fact]
    public void Detect_Record_DetectOnAllLeadsOff_EqualsTheSpanOverloadOnLead()
    {
        var ecg = EcgVision.Signals.Synthetic.SyntheticEcg.Generate(
            EcgVision.Signals.Synthetic.SyntheticEcgSpec.Of(EcgVision.Signals.Synthetic.SyntheticCondition.SinusRhythm), seed: 4);
        var singleLead = new RPeakDetector(new() { DetectOnAllLeads = false });
        singleLead.Detect(ecg.Record).Should().Equal(singleLead.Detect(ecg.Record.GetLead("II"), ecg.Record.SamplingRate));
        singleLead.Detect(ecg.Record).Should().NotBeEmpty();
    }

    [Fact]
    public void Detect_Record_LowWideQrsInLeadII_FindsQrsOnAllLeadsAndLocatesItOnLeadII()
    {
        // Lead II: a 0.2 mV, 120-ms-wide QRS with a steeper 0.15 mV P wave 170 ms before it (so a single-lead detector takes the P
        // wave); V5 carries a tall, narrow QRS on the same beats.
        const double Fs = 500;
        (float[] v5, int[] reference) = SyntheticBeats.Generate(75, Fs, 10, seed: 5, wander: 0, noise: 0.01);
        var leadII = new float[v5.Length];
        foreach (int r in reference)
        {
            for (int i = Math.Max(0, r - 200); i < Math.Min(leadII.Length, r + 60); i++)
            {
                double t = (i - r) / Fs;
                leadII[i] += (float)((0.2 * Math.Exp(-0.5 * Math.Pow(t / 0.03, 2))) + (0.15 * Math.Exp(-0.5 * Math.Pow((t + 0.17) / 0.015, 2))));
            }
        }

        var leads = new float[12][];
        for (int i = 0; i < 12; i++)
        {
            leads[i] = i == 1 ? leadII : i == 10 ? v5 : new float[v5.Length];
        }

        int[] peaks = new RPeakDetector().Detect(EcgRecord.FromLeads(leads, Fs));
        var score = SyntheticBeats.Score(reference, peaks, (int)(0.05 * Fs));
        score.TruePositives.Should().Be(reference.Length);
        score.FalsePositives.Should().Be(0);
    }

    [SharedDataFact("data/ptb-xl/records100")]
    public void Detect_RealPtbXlRecords_GivesPlausibleRatesAndConsistentRr()
    {
        string root = SharedData.Get("data/ptb-xl/records100");
        string[] files = Directory.GetFiles(root, "*.dat", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        files.Should().NotBeEmpty();
        var detector = new RPeakDetector();
        int regular = 0;
        var report = new List<string>();
        foreach (string file in files)
        {
            float[] leadII = ReadFormat16Lead(file, leadIndex: 1, leadCount: 12);
            int[] peaks = detector.Detect(leadII, 100);
            peaks.Length.Should().BeGreaterThanOrEqualTo(4, file);
            double[] rr = peaks.Zip(peaks.Skip(1), (a, b) => (b - a) / 100.0).ToArray();
            double medianRr = rr.Order().ElementAt(rr.Length / 2);
            double bpm = 60 / medianRr;
            bpm.Should().BeInRange(30, 200, Path.GetFileName(file));
            rr.Min().Should().BeGreaterThanOrEqualTo(0.2, $"{Path.GetFileName(file)}: no RR shorter than the refractory period");

            // Beat count agrees with the median rate (no runs of missed or doubled beats).
            double expectedBeats = (peaks[^1] - peaks[0]) / 100.0 / medianRr;
            ((double)(peaks.Length - 1)).Should().BeApproximately(expectedBeats, Math.Max(2, 0.25 * expectedBeats), Path.GetFileName(file));
            double withinTwentyPercent = rr.Count(v => Math.Abs(v - medianRr) <= 0.2 * medianRr) / (double)rr.Length;
            if (withinTwentyPercent >= 0.8)
            {
                regular++;
            }

            report.Add($"{Path.GetFileName(file)}: {peaks.Length} beats, {bpm:0} bpm, {withinTwentyPercent:P0} RR within 20%");
        }

        output.WriteLine(string.Join(Environment.NewLine, report));

        // PTB-XL holds arrhythmias (AF, ectopics), so RR regularity is required of most records, not all.
        ((double)regular / files.Length).Should().BeGreaterThanOrEqualTo(0.8, string.Join(Environment.NewLine, report));
    }

    [SharedDataFact("data/ptb-xl/records500")]
    public void Detect_RealRecordsAt100And500Hz_AgreeWithin50Ms()
    {
        string root100 = SharedData.Get("data/ptb-xl/records100");
        string root500 = SharedData.Get("data/ptb-xl/records500");
        var detector = new RPeakDetector();
        int pairs = 0, matched = 0, total = 0, extra = 0;
        foreach (string low in Directory.GetFiles(root100, "*_lr.dat", SearchOption.AllDirectories))
        {
            string name = Path.GetFileName(low).Replace("_lr.dat", "_hr.dat", StringComparison.Ordinal);
            string? high = Directory.GetFiles(root500, name, SearchOption.AllDirectories).FirstOrDefault();
            if (high is null)
            {
                continue;
            }

            pairs++;
            int[] at500 = detector.Detect(ReadFormat16Lead(high, 1, 12), 500);
            int[] at100 = detector.Detect(ReadFormat16Lead(low, 1, 12), 100).Select(i => i * 5).ToArray();
            var (tp, fp, _) = SyntheticBeats.Score(at500, at100, 25);
            matched += tp;
            extra += fp;
            total += at500.Length;
        }

        pairs.Should().BeGreaterThan(5);
        output.WriteLine($"{pairs} records: {matched}/{total} beats found at both rates, {extra} only at 100 Hz");
        ((double)matched / total).Should().BeGreaterThanOrEqualTo(0.97);
        ((double)extra / total).Should().BeLessThanOrEqualTo(0.03);
    }

    /// <summary>Reads one lead of a WFDB format-16 file (little-endian int16, interleaved, gain 1000/mV, baseline 0).</summary>
    internal static float[] ReadFormat16Lead(string path, int leadIndex, int leadCount)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int samples = bytes.Length / 2 / leadCount;
        var lead = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            lead[i] = BitConverter.ToInt16(bytes, 2 * ((i * leadCount) + leadIndex)) / 1000f;
        }

        return lead;
    }

    public static TheoryData<RPeakDetectorOptions, string> InvalidOptions() => new()
    {
        { new() { RefractoryPeriod = TimeSpan.FromMilliseconds(10) }, "options.RefractoryPeriod must be between 50 and 1000 ms (got 10 ms)." },
        { new() { IntegrationWindow = TimeSpan.Zero }, "options.IntegrationWindow must be between 10 and 1000 ms (got 0 ms)." },
        { new() { LowCutoffHz = 0 }, "options.LowCutoffHz must be finite and greater than 0 (got 0)." },
        { new() { LowCutoffHz = 20, HighCutoffHz = 15 }, "options.HighCutoffHz must be finite and greater than LowCutoffHz (20) (got 15)." },
        { new() { SearchBackFactor = 1 }, "options.SearchBackFactor must be finite and greater than 1 (got 1)." },
        { new() { TWaveWindow = TimeSpan.FromSeconds(-1) }, "options.TWaveWindow must be between 0 and 1000 ms (got -1000 ms)." },
        { new() { Lead = " " }, "options.Lead must name a lead" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption(RPeakDetectorOptions options, string message)
    {
        Action act = () => _ = new RPeakDetector(options);
        act.Should().Throw<ArgumentException>().WithParameterName("options").Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(25.0, "samplingRate must be finite and above twice HighCutoffHz (30 Hz) (got 25).")]
    [InlineData(double.NaN, "(got NaN)")]
    public void Detect_InvalidSamplingRate_Throws(double fs, string message)
    {
        Action act = () => new RPeakDetector().Detect(new float[100], fs);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("samplingRate").Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_NaNSample_ThrowsNamingIndex()
    {
        var x = new float[1000];
        x[17] = float.NaN;
        Action act = () => new RPeakDetector().Detect(x, 100);
        act.Should().Throw<ArgumentException>().WithParameterName("signal").WithMessage("*index 17*");
    }
}
