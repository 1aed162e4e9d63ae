using System.Text;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

public class MuseXmlReaderTests
{
    private const string Muse1 = "ge-muse-xml/muse_ecg1.xml";

    private static string MuseText => FormatSamples.Text(Muse1, System.Text.Encoding.Latin1);

    private static MemoryStream Latin1(string text) => FormatSamples.Stream(text, System.Text.Encoding.Latin1);

    [SharedDataTheory(FormatSamples.Folder + "/ge-muse-xml")]
    [InlineData("ge-muse-xml/muse_ecg1.xml")]
    [InlineData("ge-muse-xml/muse_ecg2.xml")]
    [InlineData("ge-muse-xml/muse_ecg3.xml")]
    public void ReadDocument_SampleFile_Has12LeadsAt500HzFor10sAndMedian(string file)
    {
        EcgDocument doc = MuseXmlReader.ReadDocument(FormatSamples.Path(file));

        doc.Format.Should().Be(EcgFileFormat.GeMuseXml);
        doc.Rhythm.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        doc.Rhythm.SamplingRate.Should().Be(500);
        doc.Rhythm.SampleCount.Should().Be(5000);
        doc.Rhythm.Duration.Should().Be(TimeSpan.FromSeconds(10));
        doc.RepresentativeBeats!.SampleCount.Should().Be(600);
        doc.RepresentativeBeats.LeadCount.Should().Be(12);
    }

    [SharedDataFact(FormatSamples.Folder + "/ge-muse-xml")]
    public void Read_Muse1_ScalesSamplesDerivesLimbLeadsAndReadsMetadata()
    {
        EcgRecord r = MuseXmlReader.Read(FormatSamples.Path(Muse1));

        // int16 32 and 44 at 4.88 uV/bit.
        r.GetLead("I")[0].Should().BeApproximately(32 * 4.88f / 1000, 1e-6f);
        r.GetLead("II")[0].Should().BeApproximately(44 * 4.88f / 1000, 1e-6f);
        for (int k = 0; k < r.SampleCount; k += 97)
        {
            float i = r.GetLead("I")[k], ii = r.GetLead("II")[k];
            r.GetLead("III")[k].Should().BeApproximately(ii - i, 1e-6f);
            r.GetLead("aVR")[k].Should().BeApproximately(-(i + ii) / 2, 1e-6f);
            r.GetLead("aVL")[k].Should().BeApproximately(i - (ii / 2), 1e-6f);
            r.GetLead("aVF")[k].Should().BeApproximately(ii - (i / 2), 1e-6f);
        }

        r.Metadata.PatientId.Should().Be("JAX01234");
        r.Metadata.Age.Should().Be(60);
        r.Metadata.Sex.Should().Be(Sex.Male);
        r.Metadata.AcquisitionTime.Should().Be(new DateTimeOffset(2021, 5, 10, 13, 15, 18, TimeSpan.Zero));
        r.Metadata.Report.Should().StartWith("Ventricular-paced rhythm\nWhen compared with ECG of 10-MAY-2021 14:14,\n");
        r.Metadata.Properties.Should().Contain("VentricularRate", "60").And.Contain("Device", "MAC55");
        r.Metadata.Properties["OriginalDiagnosis"].Should().Contain("Lateral infarct , age undetermined");
    }

    [SharedDataFact(FormatSamples.Folder + "/ge-muse-xml")]
    public void Read_WrongCrc_ThrowsNamingLeadAndBothValues()
    {
        string xml = FormatSamples.ReplaceFirst(MuseText, "<LeadDataCRC32>3238533149</LeadDataCRC32>", "<LeadDataCRC32>3238533148</LeadDataCRC32>");

        var act = () => MuseXmlReader.Read(Latin1(xml), "muse.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("muse.xml: lead I of the Rhythm waveform: the CRC-32*3238533149*3238533148*")
            .Which.Field.Should().Be("LeadDataCRC32");
    }

    [SharedDataFact(FormatSamples.Folder + "/ge-muse-xml")]
    public void Read_MalformedBase64_Throws()
    {
        string xml = MuseText;
        int data = xml.IndexOf("<WaveFormData>", StringComparison.Ordinal) + "<WaveFormData>".Length + 20;
        xml = string.Concat(xml.AsSpan(0, data), "*", xml.AsSpan(data + 1));

        var act = () => MuseXmlReader.Read(Latin1(xml), "muse.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("*WaveFormData is not valid Base64*").Which.Field.Should().Be("WaveFormData");
    }

    [SharedDataFact(FormatSamples.Folder + "/ge-muse-xml")]
    public void Read_BillionSampleDeclaredLength_ThrowsBeforeAllocating()
    {
        string xml = FormatSamples.ReplaceFirst(MuseText, "<LeadByteCountTotal>1200</LeadByteCountTotal>", "<LeadByteCountTotal>2000000000</LeadByteCountTotal>");
        xml = FormatSamples.ReplaceFirst(xml, "<LeadSampleCountTotal>600</LeadSampleCountTotal>", "<LeadSampleCountTotal>1000000000</LeadSampleCountTotal>");

        var act = () => MuseXmlReader.Read(Latin1(xml), "muse.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("*LeadByteCountTotal declares 2000000000 bytes but WaveFormData*can hold at most*");
    }

    [SharedDataFact(FormatSamples.Folder + "/ge-muse-xml")]
    public void Read_InconsistentByteAndSampleCounts_Throws()
    {
        string xml = FormatSamples.ReplaceFirst(MuseText, "<LeadSampleCountTotal>600</LeadSampleCountTotal>", "<LeadSampleCountTotal>601</LeadSampleCountTotal>");

        var act = () => MuseXmlReader.Read(Latin1(xml), "muse.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("*2 × LeadSampleCountTotal*1200 bytes for 601 samples*");
    }

    [SharedDataFact(FormatSamples.Folder + "/ge-muse-xml")]
    public void Read_DeclaredDtd_IsIgnoredNotFetched()
    {
        // The sample declares <!DOCTYPE RestingECG SYSTEM "restecg.dtd"> and the DTD is absent: reading must still work.
        MuseText.Should().Contain("restecg.dtd");

        MuseXmlReader.Read(Latin1(MuseText), Path.Combine(Path.GetTempPath(), "muse.xml")).LeadCount.Should().Be(12);
    }

    [Fact]
    public void Read_ExternalEntity_IsNotResolved()
    {
        string secretFile = Path.Combine(Path.GetTempPath(), $"ecgvision-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secretFile, "TOP-SECRET-VALUE");
        try
        {
            string xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE RestingECG [ <!ENTITY xxe SYSTEM "file://{secretFile}"> ]>
                <RestingECG><PatientDemographics><PatientID>&xxe;</PatientID></PatientDemographics></RestingECG>
                """;

            var act = () => MuseXmlReader.Read(FormatSamples.Stream(xml), "xxe.xml");

            act.Should().Throw<EcgFormatException>().WithMessage("xxe.xml: *xxe*")
                .Which.ToString().Should().NotContain("TOP-SECRET-VALUE");
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public void Read_EntityExpansionBomb_Throws()
    {
        string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE RestingECG [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"> ]>
            <RestingECG><PatientDemographics><PatientID>&c;</PatientID></PatientDemographics></RestingECG>
            """;

        var act = () => MuseXmlReader.Read(FormatSamples.Stream(xml), "bomb.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("bomb.xml: *");
    }

    [Fact]
    public void Read_NoRhythmWaveform_Throws()
    {
        var act = () => MuseXmlReader.Read(FormatSamples.Stream("<RestingECG><PatientDemographics/></RestingECG>"), "empty.xml");

        act.Should().Throw<EcgFormatException>().WithMessage("empty.xml: *Rhythm*").Which.Field.Should().Be("Waveform");
    }
}
