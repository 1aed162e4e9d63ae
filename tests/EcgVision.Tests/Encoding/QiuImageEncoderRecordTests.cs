using EcgVision.Encoding;
using EcgVision.Signals;
using EcgVision.Signals.Wfdb;
using EcgVision.Testing;

namespace EcgVision.Tests.Encoding;

public class QiuImageEncoderRecordTests
{
    /// <summary>A 10-s 12-lead record of Gaussian QRS spikes at 75 bpm (R every 0.8 s) with a small T wave.</summary>
    private static EcgRecord Beats(double rate)
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
                double phase = t % 0.8;
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
}
