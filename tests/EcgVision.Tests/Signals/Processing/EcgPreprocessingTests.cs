using EcgVision.Signals;
using EcgVision.Signals.Processing;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Processing;

public class EcgPreprocessingTests
{
    private static EcgRecord Record(double fs = 500, int samples = 5000)
    {
        var leads = new float[12][];
        for (int l = 0; l < 12; l++)
        {
            leads[l] = ScipyVectors.Ecg((ulong)l, samples, fs).Select(v => (float)(v * (l % 3 == 0 ? -1 : 1))).ToArray();
        }

        return EcgRecord.FromLeads(leads, fs, metadata: new EcgMetadata { Id = "rec-1" });
    }

    [Fact]
    public void BandPass_FiltersEveryLeadLikeSosfiltfilt_AndKeepsNamesAndMetadata()
    {
        EcgRecord record = Record();
        EcgRecord filtered = record.BandPass(0.5, 40);
        SecondOrderSections sos = Butterworth.BandPass(2, 0.5, 40, 500);
        for (int l = 0; l < 12; l++)
        {
            filtered.GetLead(l).ToArray().Should().Equal(sos.FilterForwardBackward(record.GetLead(l)));
        }

        filtered.LeadNames.Should().Equal(record.LeadNames);
        filtered.Metadata.Id.Should().Be("rec-1");
        filtered.SamplingRate.Should().Be(500);
    }

    [Fact]
    public void HighPassLowPassBandStop_ChangeTheSignal()
    {
        EcgRecord record = Record();
        record.HighPass(0.5).GetLead(0).ToArray().Should().Equal(Butterworth.HighPass(2, 0.5, 500).FilterForwardBackward(record.GetLead(0)));
        record.LowPass(40).GetLead(1).ToArray().Should().Equal(Butterworth.LowPass(4, 40, 500).FilterForwardBackward(record.GetLead(1)));
        record.BandStop(48, 52).GetLead(2).ToArray().Should().Equal(Butterworth.BandStop(2, 48, 52, 500).FilterForwardBackward(record.GetLead(2)));
    }

    [Fact]
    public void Resample_ChangesRateAndLength()
    {
        EcgRecord record = Record();
        EcgRecord low = record.Resample(100);
        low.SamplingRate.Should().Be(100);
        low.SampleCount.Should().Be(1000);
        low.GetLead(4).ToArray().Should().Equal(Resampler.Resample(record.GetLead(4), 500, 100));
        record.Resample(500).Should().BeSameAs(record);
    }

    [Fact]
    public void RemoveBaselineWanderAndNormalize_ProcessEveryLead()
    {
        EcgRecord record = Record(100, 1000);
        var median = new BaselineWanderOptions { Method = BaselineWanderMethod.MedianFilter };
        record.RemoveBaselineWander(median).GetLead(7).ToArray().Should().Equal(BaselineWander.Remove(record.GetLead(7), 100, median));

        EcgRecord z = record.Normalize();
        for (int l = 0; l < 12; l++)
        {
            z.GetLead(l).ToArray().Average().Should().BeApproximately(0f, 1e-4f);
        }

        record.Normalize(NormalizationMethod.MinMax, -1, 1).GetLead(3).ToArray().Max().Should().Be(1);
        record.Normalize(NormalizationMethod.MaxAbs).GetLead(3).ToArray().Max(MathF.Abs).Should().Be(1);
    }

    [SharedDataFact("data/ptb-xl/records500")]
    public void Resample_RealRecord500To100_MatchesThePtbXl100HzCopyClosely()
    {
        string hr = Directory.GetFiles(SharedData.Get("data/ptb-xl/records500"), "00001_hr.dat", SearchOption.AllDirectories).Single();
        string lr = Directory.GetFiles(SharedData.Get("data/ptb-xl/records100"), "00001_lr.dat", SearchOption.AllDirectories).Single();
        float[] high = RPeakDetectorTests.ReadFormat16Lead(hr, 1, 12);
        float[] low = RPeakDetectorTests.ReadFormat16Lead(lr, 1, 12);
        float[] resampled = Resampler.Resample(high, 500, 100);
        resampled.Length.Should().Be(low.Length);

        // PTB-XL's 100 Hz copy was made by a different decimator, so agreement is close but not exact.
        double rms = Math.Sqrt(Enumerable.Range(20, low.Length - 40).Average(i => (resampled[i] - low[i]) * (resampled[i] - low[i])));
        rms.Should().BeLessThan(0.05, "mV");
    }

    public static TheoryData<Func<EcgRecord, EcgRecord>, string, string> InvalidCalls() => new()
    {
        { r => r.HighPass(300), "cutoffHz", "cutoffHz must be between 0 and the Nyquist frequency 250 Hz, exclusive (got 300)." },
        { r => r.BandPass(40, 0.5), "highHz", "highHz must be greater than lowHz (40) (got 0.5)." },
        { r => r.LowPass(10, order: 0), "order", "order must be between 1 and 32 (got 0)." },
        { r => r.Resample(-5), "toRate", "toRate must be finite and greater than 0 (got -5)." },
        { r => r.Normalize(NormalizationMethod.MinMax, 2, 1), "max", "max must be finite and greater than min (2) (got 1)." },
        { r => r.Slice(0, 5).HighPass(0.5), "record", "record must have more samples per lead than the filter's pad length 9 (SciPy's sosfiltfilt rule), so at least 10 (got 5)." },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public void Methods_InvalidArguments_ThrowWithNamedParameter(Func<EcgRecord, EcgRecord> call, string parameter, string message)
    {
        EcgRecord record = Record(500, 600);
        Action act = () => call(record);
        act.Should().Throw<ArgumentException>().WithParameterName(parameter).Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Methods_NaNSample_ThrowNamingLeadAndIndex()
    {
        float[] data = Record(500, 600).ToArray();
        data[(4 * 600) + 123] = float.NaN;
        EcgRecord record = new(data, 500, StandardLeads.TwelveLead);
        Func<EcgRecord>[] calls =
        [
            () => record.BandPass(0.5, 40), () => record.HighPass(0.5), () => record.LowPass(40), () => record.Resample(100),
            () => record.RemoveBaselineWander(), () => record.Normalize(),
        ];
        foreach (Func<EcgRecord> call in calls)
        {
            call.Should().Throw<ArgumentException>().WithParameterName("record").WithMessage("record lead aVL has a NaN sample at index 123*");
        }
    }
}
