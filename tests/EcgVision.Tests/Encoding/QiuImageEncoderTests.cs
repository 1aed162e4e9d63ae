using EcgVision.Encoding;
using EcgVision.Signals;

namespace EcgVision.Tests.Encoding;

public sealed class QiuImageEncoderTests
{
    private static float[] Beats(int seed = 1)
    {
        var beats = new float[12 * 100];
        for (int l = 0; l < 12; l++)
        {
            // A pulse (R wave) at sample 30 on a small random walk, different amplitude per lead.
            float[] walk = ScalarOracle.RandomWalk(100, seed * 50 + l);
            for (int i = 0; i < 100; i++)
            {
                beats[l * 100 + i] = 0.05f * walk[i] + (l + 1) * 0.2f * MathF.Exp(-0.5f * MathF.Pow((i - 30) / 2f, 2));
            }
        }

        return beats;
    }

    [Fact]
    public void EncodeBeats_ProducesThreeBy224By224()
    {
        var encoder = new QiuImageEncoder();
        encoder.OutputShape.Should().Be((3, 224, 224));
        float[] image = encoder.EncodeBeats(Beats());
        image.Should().HaveCount(3 * 224 * 224);
        image.AsSpan(0, 224 * 224).ToArray().Should().OnlyContain(v => v >= -1 && v <= 1);
        image.AsSpan(224 * 224, 224 * 224).ToArray().Should().OnlyContain(v => v >= 0 && v <= 1);
        image.AsSpan(2 * 224 * 224, 224 * 224).ToArray().Should().OnlyContain(v => v >= 0 && v <= 1);
    }

    [Fact]
    public void EncodeBeats_EqualsTheDocumentedPipeline()
    {
        float[] beats = Beats(3);
        var gasf = new GramianAngularFieldEncoder(new() { ImageSize = 100, SampleRange = null });
        var rp = new RecurrencePlotEncoder(new() { MaxDistance = 1 });
        var mtf = new MarkovTransitionFieldEncoder(new() { ImageSize = 100, BinCount = 4, ThrowOnConstantSignal = false });
        IEcgImageEncoder[] encoders = [gasf, rp, mtf];
        float[] canvas = new float[3 * 300 * 400];
        for (int l = 0; l < 12; l++)
        {
            float[] lead = beats.AsSpan(l * 100, 100).ToArray();
            float peak = lead.Max(MathF.Abs);
            float[] scaled = lead.Select(v => v / peak).ToArray();
            for (int m = 0; m < 3; m++)
            {
                float[] tile = encoders[m].Encode(scaled);
                int row0 = l % 3 * 100, col0 = l / 3 * 100;
                for (int y = 0; y < 100; y++)
                {
                    tile.AsSpan(y * 100, 100).CopyTo(canvas.AsSpan(m * 120_000 + (row0 + y) * 400 + col0, 100));
                }
            }
        }

        float[] expected = ImageResize.Bilinear(canvas, 3, 300, 400, 224, 224);
        new QiuImageEncoder().EncodeBeats(beats).Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-6f);
    }

    [Fact]
    public void EncodeBeats_IsInvariantToLeadGain()
    {
        float[] beats = Beats(4);
        float[] louder = beats.Select((v, i) => v * (1 + i / 100)).ToArray(); // each lead scaled by its own positive factor
        new QiuImageEncoder().EncodeBeats(louder).Should().Equal(new QiuImageEncoder().EncodeBeats(beats), (a, b) => Math.Abs(a - b) <= 2e-5f);
    }

    [Fact]
    public void EncodeBeats_DoesNotAllocate_AfterWarmUp()
    {
        var encoder = new QiuImageEncoder();
        float[] beats = Beats(5), image = new float[encoder.OutputLength];
        encoder.EncodeBeats(beats, image);
        long before = GC.GetAllocatedBytesForCurrentThread();
        encoder.EncodeBeats(beats, image);
        GC.GetAllocatedBytesForCurrentThread().Should().Be(before);
    }

    [Fact]
    public void EncodeBeats_FlatLead_IsAccepted()
    {
        float[] beats = Beats();
        beats.AsSpan(700, 100).Clear();
        new QiuImageEncoder().EncodeBeats(beats).Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void EncodeBeats_Concatenated_EncodesJoinedBeatsAtOutputSize()
    {
        var encoder = new QiuImageEncoder(new() { Layout = MultiLeadLayout.Concatenated, OutputSize = 96 });
        encoder.EncodeBeats(Beats()).Should().HaveCount(3 * 96 * 96);
    }

    [Fact]
    public void EncodeBeatsBatch_MatchesSingleCalls()
    {
        var encoder = new QiuImageEncoder(new() { OutputSize = 64 });
        float[] sets = [.. Beats(1), .. Beats(2), .. Beats(3)];
        float[] batch = new float[3 * encoder.OutputLength];
        encoder.EncodeBeatsBatch(sets, batch);
        for (int i = 0; i < 3; i++)
        {
            batch.AsSpan(i * encoder.OutputLength, encoder.OutputLength).ToArray().Should().Equal(encoder.EncodeBeats(sets.AsSpan(i * 1200, 1200)));
        }
    }

    [Theory]
    [InlineData(1199)]
    [InlineData(1201)]
    [InlineData(0)]
    public void EncodeBeats_WrongLength_Throws(int length)
    {
        var act = () => new QiuImageEncoder().EncodeBeats(new float[length]);
        act.Should().Throw<ArgumentException>().WithParameterName("beats").WithMessage($"*1200*{length}*");
    }

    [Fact]
    public void EncodeBeats_NaN_ThrowsNamingLeadAndSample()
    {
        float[] beats = Beats();
        beats[4 * 100 + 17] = float.NaN;
        var act = () => new QiuImageEncoder().EncodeBeats(beats);
        act.Should().Throw<ArgumentException>().WithParameterName("beats").WithMessage("*lead 4 sample 17*");
    }

    [Fact]
    public void EncodeBeats_ShortDestination_Throws()
    {
        var act = () => new QiuImageEncoder().EncodeBeats(Beats(), new float[100]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    [Theory]
    [InlineData(0, MultiLeadLayout.Tiled, typeof(ArgumentOutOfRangeException))]
    [InlineData(2000, MultiLeadLayout.Concatenated, typeof(ArgumentOutOfRangeException))]
    [InlineData(224, MultiLeadLayout.ChannelPerLead, typeof(NotSupportedException))]
    public void Constructor_RejectsBadOptions(int size, MultiLeadLayout layout, Type exception)
    {
        var act = () => new QiuImageEncoder(new() { OutputSize = size, Layout = layout });
        act.Should().Throw<Exception>().Which.Should().BeOfType(exception);
    }

    [Fact]
    public void CutBeatWindow_TakesThirtySamplesBeforeTheRPeak_InStandardOrder()
    {
        var leads = Enumerable.Range(0, 12).Select(l => Enumerable.Range(0, 1000).Select(i => l * 10_000f + i).ToArray()).ToArray();
        EcgRecord record = EcgRecord.FromLeads(leads, 100).SelectLeads(["V6", "V5", "V4", "V3", "V2", "V1", "aVF", "aVL", "aVR", "III", "II", "I"]);
        float[] beats = new float[1200];
        QiuImageEncoder.CutBeatWindow(record, 250, beats);
        beats[0].Should().Be(220f);            // lead I, sample 250 − 30
        beats[99].Should().Be(319f);
        beats[11 * 100].Should().Be(110_220f); // V6
    }

    [Theory]
    [InlineData(29)]
    [InlineData(931)]
    public void CutBeatWindow_OutsideRecord_Throws(int rPeak)
    {
        EcgRecord record = new(new float[12 * 1000], 100, StandardLeads.TwelveLead);
        var act = () => QiuImageEncoder.CutBeatWindow(record, rPeak, new float[1200]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rPeak");
    }

    [Fact]
    public void CutBeatWindow_WrongRate_Throws()
    {
        EcgRecord record = new(new float[12 * 5000], 500, StandardLeads.TwelveLead);
        var act = () => QiuImageEncoder.CutBeatWindow(record, 300, new float[1200]);
        act.Should().Throw<ArgumentException>().WithParameterName("record").WithMessage("*100 Hz*500*");
    }
}
