using EcgVision.Encoding;
using EcgVision.Signals.Synthetic;

namespace EcgVision.Tests.Encoding;

public class ImageSourceTests
{
    [Fact]
    public void QiuAndMultiLeadSources_ProduceTheirShapeDeterministically()
    {
        var record = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.SinusRhythm), seed: 4).Record;
        foreach (IEcgImageSource source in new IEcgImageSource[] { new QiuImageSource(64), new MultiLeadImageSource(48, 16) })
        {
            var (c, h, w) = source.Shape;
            var a = new float[c * h * w];
            var b = new float[c * h * w];

            source.Encode(record, a);
            source.Encode(record, b, augmentationSeed: 3);

            (c, h, w).Should().Be((3, source.Descriptor.Size, source.Descriptor.Size));
            a.Should().Equal(b, "neither source augments");
            a.Distinct().Count().Should().BeGreaterThan(50);
        }
    }

    [Fact]
    public void QiuSource_PrintedLayout_EncodesTheRecordAsItsPrintoutShowsIt()
    {
        var record = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.AtrialFibrillation), seed: 9).Record;
        var printed = new QiuImageSource(32, QiuBeatSelection.PrintedLayout);
        var paper = new QiuImageSource(32);
        var a = new float[3 * 32 * 32];
        var b = new float[3 * 32 * 32];
        var c = new float[3 * 32 * 32];

        printed.Encode(record, a);
        printed.Encode(QiuImageEncoder.ToPrintedLayout(record), b);
        paper.Encode(record, c);

        a.Should().Equal(b, "encoding a signal the printed-layout way equals encoding its printed layout (the digitiser's output)");
        a.Should().NotEqual(c, "in atrial fibrillation the columns' beats differ from one simultaneous beat");
        printed.Descriptor.Settings.Should().ContainKey(QiuImageSource.BeatsSetting).WhoseValue.Should().Be("PrintedLayout");
        paper.Descriptor.Settings.Should().BeNull("the paper's default keeps the descriptor of earlier versions");
        printed.BeatSelection.Should().Be(QiuBeatSelection.PrintedLayout);
    }

    [Fact]
    public void ToPrintedLayout_KeepsEachLeadsColumnAndTheWholeRhythmLead()
    {
        var record = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.SinusRhythm), seed: 2).Record.ToStandardTwelveLead();
        int n = record.SampleCount;

        var printed = QiuImageEncoder.ToPrintedLayout(record);

        printed.LeadNames.Should().Equal(EcgVision.Signals.StandardLeads.TwelveLead);
        printed.GetLead("II").ToArray().Should().Equal(record.GetLead("II").ToArray());
        for (int l = 0; l < 12; l++)
        {
            if (l == 1)
            {
                continue;
            }

            int from = l / 3 * n / 4, to = ((l / 3) + 1) * n / 4;
            var lead = printed.GetLead(l).ToArray();
            lead[from..to].Should().Equal(record.GetLead(l)[from..to].ToArray());
            lead[..from].Concat(lead[to..]).Should().OnlyContain(v => float.IsNaN(v));
        }
    }

    [Fact]
    public void QiuSource_UndefinedBeatSelection_Throws()
    {
        var act = () => new QiuImageSource(32, (QiuBeatSelection)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("beatSelection");
    }
}
