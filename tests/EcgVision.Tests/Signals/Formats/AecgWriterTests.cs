using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

public sealed class AecgWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ecgvision-aecg-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [SharedDataFact(FormatSamples.Folder + "/ge-muse-xml")]
    public void Write_MuseRecord_ReadsBackEqualWithinHalfTheScale()
    {
        EcgRecord original = MuseXmlReader.Read(FormatSamples.Path("ge-muse-xml/muse_ecg1.xml"));
        string path = Path.Combine(_dir, "out", "muse1.xml");

        AecgWriter.Write(original, path, new AecgWriterOptions { ScaleMicrovolts = 2.5 });
        EcgRecord back = AecgReader.Read(path);

        back.LeadNames.Should().Equal(original.LeadNames);
        back.SamplingRate.Should().Be(original.SamplingRate);
        back.SampleCount.Should().Be(original.SampleCount);
        float[] a = original.ToArray(), b = back.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            b[i].Should().BeApproximately(a[i], 0.00125f + 1e-6f);
        }

        back.Metadata.PatientId.Should().Be(original.Metadata.PatientId);
        back.Metadata.Sex.Should().Be(original.Metadata.Sex);
        back.Metadata.Age.Should().Be(original.Metadata.Age);
        back.Metadata.AcquisitionTime.Should().Be(original.Metadata.AcquisitionTime);
        back.Metadata.Report.Should().Be(original.Metadata.Report);
        Directory.GetFiles(Path.Combine(_dir, "out")).Should().ContainSingle("the temporary file is renamed, not left behind");
    }

    [SharedDataFact(FormatSamples.Folder + "/hl7-aecg")]
    public void Write_Aecg_RoundTripsDigitsExactlyAtTheSourceScale()
    {
        EcgDocument original = AecgReader.ReadDocument(FormatSamples.Path("hl7-aecg/philips_pagewriter_ad4d3d80-d165_converted.xml"));
        var stream = new MemoryStream();

        AecgWriter.Write(original.Rhythm, stream, new AecgWriterOptions { ScaleMicrovolts = 5 });
        stream.Position = 0;
        EcgRecord back = AecgReader.Read(stream, "mem");

        back.ToArray().Should().Equal(original.Rhythm.ToArray());
        back.Metadata.Properties.Should().Contain("MDC_ECG_HEART_RATE", "41 /min");
        back.Metadata.Report.Should().Be(original.Rhythm.Metadata.Report);
    }

    [Fact]
    public void Write_NonStandardLeadAndNoAcquisitionTime_ReadsBackUnderItsName()
    {
        var record = EcgRecord.FromLeads([[0.1f, -0.2f, 0.3f], [1f, 2f, 3f]], 360, ["II", "V7R"]);
        string path = Path.Combine(_dir, "x.xml");

        AecgWriter.Write(record, path);
        EcgRecord back = EcgFile.Read(path);

        back.LeadNames.Should().Equal("II", "V7R");
        back.SamplingRate.Should().Be(360);
        back.ToArray().Should().Equal(record.ToArray());
    }

    [Fact]
    public void Write_NaNSample_ThrowsAndWritesNothing()
    {
        var record = EcgRecord.FromLeads([[0.1f, float.NaN]], 500, ["I"]);
        string path = Path.Combine(_dir, "nan.xml");

        var act = () => AecgWriter.Write(record, path);

        act.Should().Throw<ArgumentException>().WithParameterName("record").WithMessage("*lead 'I' sample 1*NaN*");
        File.Exists(path).Should().BeFalse();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Write_InvalidScale_Throws(double scale)
    {
        var record = EcgRecord.FromLeads([[0.1f]], 500, ["I"]);

        var act = () => AecgWriter.Write(record, new MemoryStream(), new AecgWriterOptions { ScaleMicrovolts = scale });

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options").WithMessage("*ScaleMicrovolts*");
    }
}
