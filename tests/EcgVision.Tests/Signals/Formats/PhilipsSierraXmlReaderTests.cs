using System.Text;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

public class PhilipsSierraXmlReaderTests
{
    private const string V103 = "philips-sierra-xml/129DYPRG.XML";
    private const string V104 = "philips-sierra-xml/ad4d3d80-d165_1-04_orig.xml";
    private const string V10401 = "philips-sierra-xml/2020-5-18_15-48-11.xml";

    private static string Utf16Text(string file) => FormatSamples.Text(file, System.Text.Encoding.Unicode);

    private static EcgDocument ReadText(string xml) =>
        PhilipsSierraXmlReader.ReadDocument(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml)), "s.xml");

    [SharedDataTheory(FormatSamples.Folder + "/philips-sierra-xml")]
    [InlineData(V103, "1.03")]
    [InlineData("philips-sierra-xml/3191723_ZZDEMOPTONLY_1-04_orig.xml", "1.04")]
    [InlineData(V104, "1.04")]
    [InlineData(V10401, "1.04.01")]
    public void ReadDocument_SampleFile_Has12LeadsAt500HzFor11s(string file, string version)
    {
        EcgDocument doc = PhilipsSierraXmlReader.ReadDocument(FormatSamples.Path(file));

        doc.Format.Should().Be(EcgFileFormat.PhilipsSierraXml);
        doc.Rhythm.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        doc.Rhythm.SamplingRate.Should().Be(500);
        doc.Rhythm.SampleCount.Should().Be(5500);
        doc.Rhythm.Metadata.Properties["Sierra.DocumentVersion"].Should().Be(version);

        // 99 % of the steps between consecutive samples (2 ms) are small: a wrong delta decoding or limb reconstruction
        // produces steps of millivolts everywhere. (Single artefacts exist: V3 of ad4d3d80 jumps 4.5 mV and sits near −17 mV,
        // in the vendor's converted aECG too.)
        foreach (string lead in StandardLeads.TwelveLead)
        {
            float[] x = doc.Rhythm.GetLead(lead).ToArray();
            float[] steps = [.. x.Zip(x.Skip(1), (a, b) => Math.Abs(b - a)).Order()];
            steps[(int)(steps.Length * 0.99)].Should().BeLessThan(0.5f, "lead {0}", lead);
        }
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void ReadDocument_V10401_RepresentativeBeatsAt1000HzAnd1MicroVolt()
    {
        EcgDocument doc = PhilipsSierraXmlReader.ReadDocument(FormatSamples.Path(V10401));

        doc.RepresentativeBeats!.SamplingRate.Should().Be(1000);
        doc.RepresentativeBeats.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        doc.RepresentativeBeats.SampleCount.Should().Be(1200);

        // 1 µV per unit: every value is a whole number of µV.
        doc.RepresentativeBeats.GetLead("II").ToArray().Should().OnlyContain(v => Math.Abs((v * 1000) - MathF.Round(v * 1000)) < 1e-3);
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void ReadDocument_V104_BeatsAt500HzAndMetadata()
    {
        EcgDocument doc = PhilipsSierraXmlReader.ReadDocument(FormatSamples.Path(V104));

        doc.RepresentativeBeats!.SamplingRate.Should().Be(500);
        doc.RepresentativeBeats.SampleCount.Should().Be(1200);
        EcgMetadata m = doc.Rhythm.Metadata;
        m.PatientId.Should().Be("9999");
        m.Sex.Should().Be(Sex.Female);
        m.Age.Should().Be(32); // born 1976-01-01, recorded 2008-12-23
        m.AcquisitionTime.Should().Be(new DateTimeOffset(2008, 12, 23, 19, 44, 46, TimeSpan.Zero));
        m.Properties.Should().Contain("Device", "PageWriter Touch");
        m.Report.Should().NotBeNullOrEmpty();
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void Read_V103_ReadsYearsAndDevice()
    {
        EcgMetadata m = PhilipsSierraXmlReader.Read(FormatSamples.Path(V103)).Metadata;

        m.Age.Should().Be(50);
        m.Sex.Should().Be(Sex.Male);
        m.Properties.Should().Contain("Device", "HeartstartMRx");
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void Read_Utf16AndUtf8Encodings_GiveTheSameSamples()
    {
        string xml = Utf16Text(V104).Replace("encoding=\"UTF-16\"", "encoding=\"UTF-8\"", StringComparison.OrdinalIgnoreCase);

        EcgRecord utf8 = ReadText(xml).Rhythm;
        EcgRecord utf16 = PhilipsSierraXmlReader.Read(FormatSamples.Path(V104));

        utf8.ToArray().Should().Equal(utf16.ToArray());
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void Read_XliChunkSizePastEnd_Throws()
    {
        // The first XLI chunk header claims 1 GB.
        string xml = Utf16Text(V104);
        int start = xml.IndexOf("<parsedwaveforms", StringComparison.Ordinal);
        int data = xml.IndexOf('>', start) + 1;
        int end = xml.IndexOf('<', data);
        byte[] bytes = Convert.FromBase64String(xml[data..end]);
        BitConverter.GetBytes(1_000_000_000).CopyTo(bytes, 0);
        xml = string.Concat(xml.AsSpan(0, data), Convert.ToBase64String(bytes), xml.AsSpan(end));

        var act = () => ReadText(xml.Replace("encoding=\"UTF-16\"", "encoding=\"UTF-8\"", StringComparison.OrdinalIgnoreCase));

        act.Should().Throw<EcgFormatException>().WithMessage("s.xml: XLI chunk 0 declares 1000000000 bytes but * remain.").Which.Field.Should().Be("parsedwaveforms XLI chunk size");
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void Read_BillionSampleDuration_ThrowsBeforeAllocating()
    {
        string xml = FormatSamples.ReplaceFirst(FormatSamples.Text(V103), "durationperchannel=\"11000\"", "durationperchannel=\"2000000000\"");

        var act = () => ReadText(xml);

        act.Should().Throw<EcgFormatException>().WithMessage("*durationperchannel × rate must be a whole number of samples up to 10000000*");
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void Read_TooLongDuration_ThrowsChunkTooShort()
    {
        string xml = FormatSamples.ReplaceFirst(FormatSamples.Text(V103), "durationperchannel=\"11000\"", "durationperchannel=\"12000\"");

        var act = () => ReadText(xml);

        act.Should().Throw<EcgFormatException>().WithMessage("*XLI chunk 0 decodes to 5500 samples but durationperchannel × rate needs 6000*");
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void Read_UnknownLeadLabel_IsKeptUnderItsName()
    {
        string xml = Utf16Text(V104).Replace("encoding=\"UTF-16\"", "encoding=\"UTF-8\"", StringComparison.OrdinalIgnoreCase);
        xml = FormatSamples.ReplaceFirst(xml, "leadlabels=\"I II III aVR aVL aVF V1 V2 V3 V4 V5 V6\"", "leadlabels=\"I II III aVR aVL aVF V1 V2 V3 V4 V5 V7R\"");

        ReadText(xml).Rhythm.LeadNames[^1].Should().Be("V7R");
    }

    [SharedDataFact(FormatSamples.Folder + "/philips-sierra-xml")]
    public void Read_UnknownCompression_Throws()
    {
        string xml = FormatSamples.ReplaceFirst(FormatSamples.Text(V103), "compressmethod=\"XLI\"", "compressmethod=\"ZIP\"");

        var act = () => ReadText(xml);

        act.Should().Throw<EcgFormatException>().WithMessage("*compression must be XLI or None (got 'ZIP')*");
    }

    [Fact]
    public void Read_UncompressedPlainWaveforms_ScalesByResolution()
    {
        string xml = """
            <restingecgdata xmlns="http://www3.medical.philips.com">
              <documentinfo><documentversion>1.04</documentversion></documentinfo>
              <dataacquisition date="2020-01-02" time="03:04:05"><signalcharacteristics><samplingrate>250</samplingrate></signalcharacteristics></dataacquisition>
              <waveforms><parsedwaveforms dataencoding="Plain" compression="None" numberofleads="2" leadlabels="II V1" durationperchannel="12" samplespersecond="250" resolution="2.5">
                1 2 3
                -4 0 8
              </parsedwaveforms></waveforms>
            </restingecgdata>
            """;

        EcgRecord r = ReadText(xml).Rhythm;

        r.LeadNames.Should().Equal("II", "V1");
        r.GetLead("II").ToArray().Should().Equal(0.0025f, 0.005f, 0.0075f);
        r.GetLead("V1").ToArray().Should().Equal(-0.01f, 0f, 0.02f);
        r.Metadata.AcquisitionTime.Should().Be(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }

    [SharedDataTheory(FormatSamples.Folder + "/philips-sierra-xml")]
    [InlineData(V103)]
    [InlineData(V104)]
    public void Read_TruncatedFile_ThrowsAtEveryOffset(string file)
    {
        byte[] bytes = FormatSamples.Bytes(file);
        foreach (int cut in new[] { 0, 1, 2, 100, bytes.Length / 3, bytes.Length / 2, bytes.Length - 40 })
        {
            var act = () => PhilipsSierraXmlReader.Read(new MemoryStream(bytes, 0, cut), $"cut-{cut}");

            act.Should().Throw<EcgFormatException>().WithMessage($"cut-{cut}: *");
        }
    }
}
