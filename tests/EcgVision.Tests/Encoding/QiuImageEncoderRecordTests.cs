using EcgVision.Encoding;
using EcgVision.Signals;
using EcgVision.Signals.Synthetic;
using EcgVision.Signals.Wfdb;
using EcgVision.Testing;

namespace EcgVision.Tests.Encoding;

public class QiuImageEncoderRecordTests
{
    /// <summary>A 10-s 12-lead record of Gaussian QRS spikes at 75 bpm (R every 0.8 s) with a small T wave.</summary>
    private static EcgRecord Beats(double rate, double period = 0.8)
    {
        int n = (int)(10 * rate);
        var leads = new float[12][];
        for (int l = 0; l < 12; l++)
        {
            leads[l] = new float[n];
            float gain = l == 3 ? -1f : 0.5f + 0.1f * l; // aVR negative, as on paper
            for (int i = 0; i < n; i++)
            {
                double t = i / rate;
                double phase = t % period;
                leads[l][i] = gain * (float)(Math.Exp(-Math.Pow((phase - 0.4) / 0.012, 2)) + 0.2 * Math.Exp(-Math.Pow((phase - 0.65) / 0.05, 2)));
            }
        }

        return EcgRecord.FromLeads(leads, rate);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(500)]
    public void ExtractBeat_CentresTheRPeakAtOffset30NearTheMiddle(double rate)
    {
        var beats = new float[12 * 100];

        int peak = QiuImageEncoder.ExtractBeat(Beats(rate), beats);

        Math.Abs(peak - 500).Should().BeLessThan(60, "the beat nearest the middle of the 1000-sample (100 Hz) record is chosen");
        var leadII = beats.AsSpan(100, 100).ToArray();
        Array.IndexOf(leadII, leadII.Max()).Should().BeInRange(QiuImageEncoder.RPeakOffset - 1, QiuImageEncoder.RPeakOffset + 1);
    }

    [Fact]
    public void EncodeRecord_GivesThreeChannelsInTheirRanges()
    {
        var encoder = new QiuImageEncoder(new QiuImageOptions { OutputSize = 64 });

        float[] image = encoder.EncodeRecord(Beats(500));

        image.Length.Should().Be(3 * 64 * 64);
        image.AsSpan(0, 64 * 64).ToArray().Should().OnlyContain(v => v >= -1f && v <= 1f);
        image.AsSpan(64 * 64, 2 * 64 * 64).ToArray().Should().OnlyContain(v => v >= 0f && v <= 1f);
        image.Distinct().Count().Should().BeGreaterThan(100);
    }

    [Fact]
    public void EncodeRecord_FlatRecordWithoutBeats_ThrowsNamingLeadII()
    {
        var flat = EcgRecord.FromLeads(Enumerable.Range(0, 12).Select(_ => new float[1000]).ToArray(), 100, metadata: new EcgMetadata { Id = "flat-1" });

        var act = () => new QiuImageEncoder().EncodeRecord(flat);

        act.Should().Throw<ArgumentException>().WithMessage("*lead II*flat-1*");
    }

    [SharedDataFact("data/ptb-xl/records100/00000/00001_lr.hea")]
    public void EncodeRecord_RealPtbXlRecord_Works()
    {
        var record = WfdbReader.Read(SharedData.Get("data/ptb-xl/records100/00000/00001_lr.hea"));

        float[] image = new QiuImageEncoder().EncodeRecord(record);

        image.Length.Should().Be(3 * 224 * 224);
        image.Should().OnlyContain(v => float.IsFinite(v));
    }

    /// <summary>The record as a 3 × 4 printout shows it: each column's leads finite only in their 2.5-s window, lead II over all 10 s.</summary>
    private static EcgRecord AsPrintedLayout(EcgRecord record)
    {
        var r = record.ToStandardTwelveLead();
        int n = r.SampleCount, quarter = n / 4;
        var leads = new float[12][];
        for (int l = 0; l < 12; l++)
        {
            leads[l] = r.GetLead(l).ToArray();
            if (l == 1)
            {
                continue; // lead II: the rhythm strip
            }

            int column = l < 3 ? 0 : l < 6 ? 1 : l < 9 ? 2 : 3;
            for (int i = 0; i < n; i++)
            {
                if (i < column * quarter || i >= (column + 1) * quarter)
                {
                    leads[l][i] = float.NaN;
                }
            }
        }

        return EcgRecord.FromLeads(leads, r.SamplingRate, StandardLeads.TwelveLead, r.Metadata);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(500)]
    public void ExtractBeat_PrintedLayout_TakesEachLeadsBeatFromItsOwnWindow(double rate)
    {
        var full = new float[12 * 100];
        var printed = new float[12 * 100];
        QiuImageEncoder.ExtractBeat(Beats(rate), full);

        QiuImageEncoder.ExtractBeat(AsPrintedLayout(Beats(rate)), printed);

        printed.Should().OnlyContain(v => float.IsFinite(v));
        for (int l = 0; l < 12; l++)
        {
            var lead = printed.AsSpan(l * 100, 100).ToArray();
            int argMax = l == 3 ? Array.IndexOf(lead, lead.Min()) : Array.IndexOf(lead, lead.Max());
            argMax.Should().BeInRange(QiuImageEncoder.RPeakOffset - 1, QiuImageEncoder.RPeakOffset + 1, $"lead {l}'s R peak sits at offset 30");
            double corr = Correlation(lead, full.AsSpan(l * 100, 100).ToArray());
            corr.Should().BeGreaterThan(0.97, $"the periodic record's beats are alike, so lead {l}'s windowed beat matches the full record's");
        }
    }

    [Fact]
    public void EncodeRecord_SyntheticEcgAsPrintedLayout_IsCloseToTheFullRecordsImage()
    {
        var generator = new SyntheticEcgGenerator(new SyntheticEcgOptions { SamplingRate = 100 });
        var record = generator.Generate(new SyntheticEcgSpec { Id = "7", HeartRate = 72 }, 7).Record;
        var encoder = new QiuImageEncoder(new QiuImageOptions { OutputSize = 64 });
        float[] full = encoder.EncodeRecord(record);
        float[] other = encoder.EncodeRecord(generator.Generate(new SyntheticEcgSpec { Id = "8", HeartRate = 72 }, 8).Record);

        float[] printed = encoder.EncodeRecord(AsPrintedLayout(record));

        double self = Correlation(printed, full), cross = Correlation(other, full);
        self.Should().BeGreaterThan(0.9);
        self.Should().BeGreaterThan(cross, "the printed layout of a record is closer to that record than another record is");
    }

    [Fact]
    public void ExtractBeat_LeadWindowTooShort_ThrowsNamingTheLead()
    {
        var r = AsPrintedLayout(Beats(100));
        var leads = Enumerable.Range(0, 12).Select(l => r.GetLead(l).ToArray()).ToArray();
        for (int i = 100; i < 1000; i++)
        {
            leads[7][i] = float.NaN; // V2: 1 s left in one piece
        }

        var act = () => QiuImageEncoder.ExtractBeat(EcgRecord.FromLeads(leads, 100, StandardLeads.TwelveLead, new EcgMetadata { Id = "short-v2" }), new float[1200]);

        act.Should().Throw<ArgumentException>().WithMessage("*V2*short-v2*1.2 s*");
    }

    private static double Correlation(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }

    [Fact]
    public void ExtractBeat_PrintedLayoutAt27Bpm_WindowWithoutACompleteBeat_UsesTheRPeakInsideIt()
    {
        // R peaks at 0.4, 2.6, 4.8, 7.0, 9.2 s: the 2.5–5 s column (aVR, aVL, aVF) holds R peaks only 0.1 s after its start and
        // 0.2 s before its end, so no 0.3 s + 0.7 s beat fits inside it.
        var printed = AsPrintedLayout(Beats(100, period: 2.2));
        var beats = new float[12 * 100];

        QiuImageEncoder.ExtractBeat(printed, beats);

        beats.Should().OnlyContain(v => float.IsFinite(v));
        var aVL = beats.AsSpan(4 * 100, 100).ToArray();
        Array.IndexOf(aVL, aVL.Max()).Should().BeInRange(QiuImageEncoder.RPeakOffset - 1, QiuImageEncoder.RPeakOffset + 1,
            "the R peak inside the window stays at offset 30; the part of the window before the column starts repeats its first sample");
    }

    [Fact]
    public void ExtractBeat_PrintedLayoutWithoutAnyBeat_ThrowsNamingTheRhythmLead()
    {
        var flat = AsPrintedLayout(EcgRecord.FromLeads(Enumerable.Range(0, 12).Select(_ => new float[1000]).ToArray(), 100, metadata: new EcgMetadata { Id = "flat-2" }));

        var act = () => QiuImageEncoder.ExtractBeat(flat, new float[1200]);

        act.Should().Throw<ArgumentException>().WithMessage("*No R peak*lead II*flat-2*");
    }
}
