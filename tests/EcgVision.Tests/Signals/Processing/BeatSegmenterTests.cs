using EcgVision.Signals;
using EcgVision.Signals.Processing;

namespace EcgVision.Tests.Signals.Processing;

public class BeatSegmenterTests
{
    private static EcgRecord Ramp(int leads, int samples) =>
        EcgRecord.FromLeads(Enumerable.Range(0, leads).Select(l => Enumerable.Range(0, samples).Select(i => (float)((l * 1000) + i)).ToArray()).ToArray(),
            100, Enumerable.Range(0, leads).Select(l => $"L{l}").ToArray());

    [Fact]
    public void Segment_CutsWindowsAroundPeaksAndDropsEdgeCrossers()
    {
        EcgRecord record = Ramp(2, 100);
        var segmenter = new BeatSegmenter(new() { SamplesBefore = 3, SamplesAfter = 4 });
        BeatSet beats = segmenter.Segment(record, [50, 2, 20, 97, 96]);

        beats.Shape.Should().Equal(3, 2, 7);
        beats.RPeaks.Should().Equal(20, 50, 96);
        beats.RPeakOffset.Should().Be(3);
        beats.GetBeat(0, 0).ToArray().Should().Equal(17, 18, 19, 20, 21, 22, 23);
        beats.GetBeat(1, 1).ToArray().Should().Equal(1047, 1048, 1049, 1050, 1051, 1052, 1053);
        beats.GetBeat(2, 0)[3].Should().Be(96);
        beats.Data.Length.Should().Be(3 * 2 * 7);
        beats.LeadNames.Should().Equal("L0", "L1");
    }

    [Fact]
    public void MedianAndAverage_ComputeSampleWise()
    {
        float[] x = new float[30];
        x[5] = 1;
        x[15] = 3;
        x[25] = 8;
        BeatSet beats = new BeatSegmenter(new() { SamplesBefore = 1, SamplesAfter = 2 }).Segment(x, [5, 15, 25]);
        beats.Median().Should().Equal(0, 3, 0);
        beats.Average().Should().Equal(0, 4, 0);

        BeatSet even = new BeatSegmenter(new() { SamplesBefore = 0, SamplesAfter = 1 }).Segment(x, [5, 15]);
        even.Median().Should().Equal(2);
    }

    [Fact]
    public void Median_NoBeats_ThrowsInvalidOperation()
    {
        BeatSet beats = new BeatSegmenter().Segment(new float[10], [5]);
        beats.BeatCount.Should().Be(0);
        Action act = () => beats.Median();
        act.Should().Throw<InvalidOperationException>().WithMessage("*empty*");
    }

    [Fact]
    public void FromDuration_ConvertsToSamples()
    {
        BeatSegmenterOptions o = BeatSegmenterOptions.FromDuration(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(400), 500);
        o.SamplesBefore.Should().Be(125);
        o.SamplesAfter.Should().Be(200);
    }

    public static TheoryData<Action, string, string> InvalidCalls() => new()
    {
        { () => _ = new BeatSegmenter(new() { SamplesBefore = -1 }), "options", "options.SamplesBefore must be 0 or more (got -1)." },
        { () => _ = new BeatSegmenter(new() { SamplesAfter = 0 }), "options", "options.SamplesAfter must be at least 1" },
        { () => new BeatSegmenter().Segment(new float[10], [3, 10]), "rPeaks", "rPeaks[1] must be a sample index between 0 and 9 (got 10)." },
        { () => BeatSegmenterOptions.FromDuration(TimeSpan.Zero, TimeSpan.Zero, 0), "samplingRate", "(got 0)" },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public void Methods_InvalidArguments_ThrowWithNamedParameter(Action act, string parameter, string message)
    {
        act.Should().Throw<ArgumentException>().WithParameterName(parameter).Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }
}
