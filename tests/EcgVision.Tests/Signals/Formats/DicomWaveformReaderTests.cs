using System.Buffers.Binary;
using System.Text;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

public class DicomWaveformReaderTests
{
    private const string Toolkit = "dicom-ecg/ecgtoolkit_example.dcm";
    private const string Pydicom = "dicom-ecg/pydicom_waveform_ecg.dcm";

    private static EcgDocument ReadBytes(byte[] bytes) => DicomWaveformReader.ReadDocument(new MemoryStream(bytes), "t.dcm");

    private static int IndexOf(byte[] bytes, string ascii) => bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(ascii));

    [SharedDataTheory(FormatSamples.Folder + "/dicom-ecg")]
    [InlineData(Toolkit, 500.0, 5000, 600, "1.2.840.10008.1.2")]
    [InlineData(Pydicom, 1000.0, 10000, 1200, "1.2.840.10008.1.2.1")]
    public void ReadDocument_SampleFile_Has12LeadsRhythmAndMedian(string file, double rate, int samples, int medianSamples, string syntax)
    {
        EcgDocument doc = DicomWaveformReader.ReadDocument(FormatSamples.Path(file));

        doc.Format.Should().Be(EcgFileFormat.Dicom);
        doc.Rhythm.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        doc.Rhythm.SamplingRate.Should().Be(rate);
        doc.Rhythm.SampleCount.Should().Be(samples);
        doc.RepresentativeBeats!.SampleCount.Should().Be(medianSamples);
        doc.RepresentativeBeats.SamplingRate.Should().Be(rate);
        doc.RepresentativeBeats.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        doc.Rhythm.Metadata.Properties.Should().Contain("DICOM.TransferSyntax", syntax);
        doc.RepresentativeBeats.Metadata.Properties["DICOM.WaveformOriginality"].Should().Be("DERIVED");
    }

    [SharedDataFact(FormatSamples.Folder + "/dicom-ecg")]
    public void Read_Toolkit_ReadsPatientAndAcquisition()
    {
        EcgMetadata m = DicomWaveformReader.Read(FormatSamples.Path(Toolkit)).Metadata;

        m.PatientId.Should().Be("SBJ-123");
        m.Age.Should().Be(49);
        m.AcquisitionTime.Should().Be(new DateTimeOffset(2002, 11, 22, 9, 10, 0, TimeSpan.Zero));
        m.Properties.Should().Contain("Device", "ELI250").And.Contain("DICOM.SOPClassUID", "1.2.840.10008.5.1.4.1.1.9.1.1");
    }

    [SharedDataFact(FormatSamples.Folder + "/dicom-ecg")]
    public void Read_Pydicom_ReadsAgeSexDateTimeAndScale()
    {
        EcgRecord r = DicomWaveformReader.Read(FormatSamples.Path(Pydicom));

        r.Metadata.Age.Should().Be(42);
        r.Metadata.Sex.Should().Be(Sex.Female);
        r.Metadata.PatientId.Should().Be("642341");
        r.Metadata.AcquisitionTime.Should().Be(new DateTimeOffset(2013, 1, 25, 10, 59, 19, TimeSpan.Zero));

        // 1.25 µV per unit: every sample is a whole multiple of 0.00125 mV.
        float[] lead = r.GetLead("V2").ToArray();
        lead.Should().OnlyContain(v => Math.Abs((v / 0.00125) - Math.Round(v / 0.00125)) < 1e-3);
        lead.Max().Should().BeGreaterThan(0.1f).And.BeLessThan(5f);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Read_SyntheticFile_ExplicitAndImplicitDefinedAndUndefinedLengths(bool implicitVr, bool undefinedLength)
    {
        short[,] samples = { { 100, -40 }, { 200, 0 }, { -300, 7 } };
        byte[] group = DicomTestFile.Group("ORIGINAL", "RHYTHM", 250, [2, 62], samples, 2.5, implicitVr, undefinedLength);
        byte[] file = new DicomTestFile(implicitVr)
            .Add(0x00100020, "LO", DicomTestFile.Text("P1"))
            .Add(0x00100040, "CS", DicomTestFile.Text("M"))
            .Add(DicomTestFile.Sequence(0x54000100, [group], undefinedLength, implicitVr))
            .ToArray();

        EcgRecord r = ReadBytes(file).Rhythm;

        r.LeadNames.Should().Equal("II", "aVR");
        r.SamplingRate.Should().Be(250);
        r.GetLead("II").ToArray().Should().Equal(0.25f, 0.5f, -0.75f);
        r.GetLead("aVR").ToArray().Should().Equal(-0.1f, 0f, 0.0175f);
        r.Metadata.PatientId.Should().Be("P1");
        r.Metadata.Sex.Should().Be(Sex.Male);
    }

    [Fact]
    public void Read_UnknownLeadCode_IsKeptUnderScpName()
    {
        byte[] group = DicomTestFile.Group("ORIGINAL", "RHYTHM", 500, [1, 250], new short[,] { { 1, 2 } }, 1);
        byte[] file = new DicomTestFile().Add(DicomTestFile.Sequence(0x54000100, [group], false)).ToArray();

        ReadBytes(file).Rhythm.LeadNames.Should().Equal("I", "SCP250");
    }

    [Fact]
    public void Read_DeeplyNestedSequences_ThrowsAtDepthLimit()
    {
        byte[] inner = DicomTestFile.Element(0x00100020, "LO", DicomTestFile.Text("X"));
        for (int i = 0; i < 20; i++)
        {
            inner = DicomTestFile.Sequence(0x0040A043, [inner], undefinedLength: true);
        }

        var act = () => ReadBytes(new DicomTestFile().Add(inner).ToArray());

        act.Should().Throw<EcgFormatException>().WithMessage("*nested more than 8 deep*");
    }

    [Fact]
    public void Read_ElementLengthPastEnd_Throws()
    {
        byte[] file = new DicomTestFile().Add(0x00100020, "LO", DicomTestFile.Text("ABCD")).ToArray();
        file[^6] = 0xFF; // the low byte of the 2-byte length of (0010,0020): 4 → 255

        var act = () => ReadBytes(file);

        act.Should().Throw<EcgFormatException>().WithMessage("t.dcm: element (0010,0020) declares 255 bytes but only 4 remain*").Which.Field.Should().Be("(0010,0020)");
    }

    [Fact]
    public void Read_BillionSampleDeclaredLength_ThrowsBeforeAllocating()
    {
        byte[] group = DicomTestFile.Group("ORIGINAL", "RHYTHM", 500, [1], new short[,] { { 1 }, { 2 } }, 1);
        byte[] file = new DicomTestFile().Add(DicomTestFile.Sequence(0x54000100, [group], false)).ToArray();
        int at = file.AsSpan().IndexOf(new byte[] { 0x3A, 0x00, 0x10, 0x00, (byte)'U', (byte)'L', 4, 0 });
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at + 8), 1_000_000_000);

        var act = () => ReadBytes(file);

        act.Should().Throw<EcgFormatException>().WithMessage("*Waveform Data holds 4 bytes but 1 channels × 1000000000 samples × 2 bytes = 2000000000*");
    }

    [Fact]
    public void Read_BigEndianTransferSyntax_ThrowsNotSupported()
    {
        byte[] file = new DicomTestFile().ToArray("1.2.840.10008.1.2.2");

        var act = () => ReadBytes(file);

        act.Should().Throw<EcgFormatException>().WithMessage("*big endian*not supported*").Which.Field.Should().Be("(0002,0010) Transfer Syntax UID");
    }

    [Fact]
    public void Read_NoWaveformSequence_Throws()
    {
        var act = () => ReadBytes(new DicomTestFile().Add(0x00100020, "LO", DicomTestFile.Text("P1")).ToArray());

        act.Should().Throw<EcgFormatException>().WithMessage("*no Waveform Sequence (5400,0100)*");
    }

    [Fact]
    public void Read_NoDicmPrefix_Throws()
    {
        var act = () => ReadBytes(new byte[200]);

        act.Should().Throw<EcgFormatException>().WithMessage("*preamble followed by 'DICM'*");
    }

    [SharedDataTheory(FormatSamples.Folder + "/dicom-ecg")]
    [InlineData(Toolkit)]
    [InlineData(Pydicom)]
    public void Read_TruncatedFile_ThrowsAtEveryOffset(string file)
    {
        byte[] bytes = FormatSamples.Bytes(file);
        foreach (int cut in new[] { 0, 100, 131, 140, 300, 1000, bytes.Length / 3, bytes.Length / 2, bytes.Length - 1 })
        {
            var act = () => DicomWaveformReader.Read(new MemoryStream(bytes, 0, cut), $"cut-{cut}");

            act.Should().Throw<EcgFormatException>().WithMessage($"cut-{cut}: *");
        }
    }

    [SharedDataFact(FormatSamples.Folder + "/dicom-ecg")]
    public void Read_ChannelCountMismatch_Throws()
    {
        byte[] bytes = FormatSamples.Bytes(Pydicom);
        int at = bytes.AsSpan().IndexOf(new byte[] { 0x3A, 0x00, 0x05, 0x00, (byte)'U', (byte)'S', 2, 0 });
        bytes[at + 8] = 13;

        var act = () => ReadBytes(bytes);

        act.Should().Throw<EcgFormatException>().WithMessage("*Waveform Data holds 240000 bytes but 13 channels*");
    }
}
