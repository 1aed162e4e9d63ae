using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

public class AecgReaderTests
{
    [SharedDataTheory(FormatSamples.Folder + "/hl7-aecg")]
    [InlineData("hl7-aecg/hl7_example_aecg.xml", 12, 500.0, 5000, 599)]
    [InlineData("hl7-aecg/fda_minimum_aecg.xml", 1, 500.0, 13, null)]
    [InlineData("hl7-aecg/philips_pagewriter_ad4d3d80-d165_converted.xml", 12, 500.0, 5500, 1200)]
    public void ReadDocument_SampleFile_HasReadmeLeadCountRateAndDuration(string file, int leads, double rate, int samples, int? beatSamples)
    {
        EcgDocument doc = AecgReader.ReadDocument(FormatSamples.Path(file));

        doc.Format.Should().Be(EcgFileFormat.HL7Aecg);
        doc.Rhythm.LeadCount.Should().Be(leads);
        doc.Rhythm.SamplingRate.Should().BeApproximately(rate, 1e-9);
        doc.Rhythm.SampleCount.Should().Be(samples);
        doc.Rhythm.Samples.ToArray().Should().OnlyContain(v => float.IsFinite(v) && Math.Abs(v) < 20, "ECG amplitudes are a few mV");
        if (beatSamples is null)
        {
            doc.RepresentativeBeats.Should().BeNull();
        }
        else
        {
            doc.RepresentativeBeats!.SampleCount.Should().Be(beatSamples.Value);
            doc.RepresentativeBeats.LeadCount.Should().Be(leads);
        }
    }

    [SharedDataFact(FormatSamples.Folder + "/hl7-aecg")]
    public void Read_HL7Example_ScalesDigitsAndMapsMdcLeadsAndMetadata()
    {
        EcgRecord record = AecgReader.Read(FormatSamples.Path("hl7-aecg/hl7_example_aecg.xml"));

        record.HasStandardTwelveLeads.Should().BeTrue();
        record.LeadNames.Should().StartWith(["I", "II", "V1"]);
        // digits -2 -2 -2 -2 -3 at 2.5 uV → mV.
        record.GetLead("I")[..5].ToArray().Should().Equal([-0.005f, -0.005f, -0.005f, -0.005f, -0.0075f]);
        record.Metadata.Sex.Should().Be(Sex.Male);
        record.Metadata.Age.Should().Be(46);
        record.Metadata.PatientId.Should().Be("SBJ-123");
        record.Metadata.AcquisitionTime.Should().Be(new DateTimeOffset(2002, 11, 22, 9, 10, 0, TimeSpan.Zero));
    }

    [SharedDataFact(FormatSamples.Folder + "/hl7-aecg")]
    public void Read_PhilipsAecg_KeepsStatementsAndMeasurements()
    {
        EcgRecord record = AecgReader.Read(FormatSamples.Path("hl7-aecg/philips_pagewriter_ad4d3d80-d165_converted.xml"));

        record.Metadata.Report.Should().Contain("SINUS BRADYCARDIA, V-rate<60");
        record.Metadata.Properties.Should().Contain("MDC_ECG_HEART_RATE", "41 /min");
        record.Metadata.Sex.Should().Be(Sex.Female);
        record.Metadata.Properties.Should().ContainKey("Device");
    }

    [SharedDataFact(FormatSamples.Folder + "/hl7-aecg")]
    public void Read_UnknownLeadCode_KeepsItUnderItsOwnName()
    {
        string xml = FormatSamples.ReplaceFirst(FormatSamples.Text("hl7-aecg/fda_minimum_aecg.xml"), "MDC_ECG_LEAD_II", "MDC_ECG_LEAD_V7R");

        EcgRecord record = AecgReader.Read(FormatSamples.Stream(xml), "custom.xml");

        record.LeadNames.Should().Equal("V7R");
    }

    [SharedDataFact(FormatSamples.Folder + "/hl7-aecg")]
    public void Read_NonNumericDigit_ThrowsNamingLeadAndValue()
    {
        string xml = FormatSamples.ReplaceFirst(FormatSamples.Text("hl7-aecg/fda_minimum_aecg.xml"), "-2 -2 -2", "-2 x7 -2");

        var act = () => AecgReader.Read(FormatSamples.Stream(xml), "bad.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("bad.xml: MDC_ECG_LEAD_II*digit 1*'x7'*");
    }

    [SharedDataFact(FormatSamples.Folder + "/hl7-aecg")]
    public void Read_MissingIncrement_ThrowsNamingTheField()
    {
        string xml = FormatSamples.ReplaceFirst(FormatSamples.Text("hl7-aecg/fda_minimum_aecg.xml"), "<increment value=\"0.002\" unit=\"s\"/>", "");

        var act = () => AecgReader.Read(FormatSamples.Stream(xml), "bad.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("*no increment*").Which.Field.Should().Be("increment");
    }

    [SharedDataFact(FormatSamples.Folder + "/hl7-aecg")]
    public void Read_NonVoltageScaleUnit_Throws()
    {
        string xml = FormatSamples.ReplaceFirst(FormatSamples.Text("hl7-aecg/fda_minimum_aecg.xml"), "<scale value=\"2.5\" unit=\"uV\"/>", "<scale value=\"2.5\" unit=\"mmHg\"/>");

        var act = () => AecgReader.Read(FormatSamples.Stream(xml), "bad.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("*scale unit must be a voltage*'mmHg'*");
    }

    [Fact]
    public void Read_WrongRootElement_Throws()
    {
        var act = () => AecgReader.Read(FormatSamples.Stream("<AnnotatedECG xmlns=\"urn:other\"/>"), "x.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("x.xml: the root element must be AnnotatedECG*urn:other*");
    }

    [Fact]
    public void ParseTs_HandlesHl7Precisions()
    {
        AecgReader.ParseTs("20021122091000.500").Should().Be(new DateTimeOffset(2002, 11, 22, 9, 10, 0, 500, TimeSpan.Zero));
        AecgReader.ParseTs("200211220737").Should().Be(new DateTimeOffset(2002, 11, 22, 7, 37, 0, TimeSpan.Zero));
        AecgReader.ParseTs("20021122091000+0100").Should().Be(new DateTimeOffset(2002, 11, 22, 9, 10, 0, TimeSpan.FromHours(1)));
        AecgReader.ParseTs("2002").Should().BeNull();
    }
}
