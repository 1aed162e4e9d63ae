using System.Buffers.Binary;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

public class ScpEcgReaderTests
{
    private const string Example = "scp-ecg/ecgtoolkit_example.scp";
    private const string Healforce = "scp-ecg/healforce_prince180d_62.SCP";

    private static EcgDocument ReadBytes(byte[] bytes) => ScpEcgReader.ReadDocument(new MemoryStream(bytes), "t.scp");

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void ReadDocument_EcgToolkitExample_Has12LeadsAt500HzFor10sAndReferenceBeat()
    {
        EcgDocument doc = ScpEcgReader.ReadDocument(FormatSamples.Path(Example));

        doc.Format.Should().Be(EcgFileFormat.ScpEcg);
        doc.Rhythm.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        doc.Rhythm.SamplingRate.Should().Be(500);
        doc.Rhythm.SampleCount.Should().Be(5000);
        doc.RepresentativeBeats!.SampleCount.Should().Be(599);
        doc.RepresentativeBeats.SamplingRate.Should().Be(500);
        doc.RepresentativeBeats.LeadCount.Should().Be(12);
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_EcgToolkitExample_ReadsPatientDeviceAndMeasurements()
    {
        EcgMetadata m = ScpEcgReader.Read(FormatSamples.Path(Example)).Metadata;

        m.PatientId.Should().Be("SBJ-123");
        m.Sex.Should().Be(Sex.Male);
        m.Age.Should().Be(49); // born 1953-05-08, recorded 2002-11-22
        m.AcquisitionTime.Should().Be(new DateTimeOffset(2002, 11, 22, 9, 10, 0, TimeSpan.Zero));
        m.Properties.Should().Contain("Device", "ELI250").And.Contain("SCP.QRSAxis", "-61").And.Contain("SCP.PAxis", "44")
            .And.Contain("SCP.TAxis", "86").And.Contain("SCP.QRSOnset", "434").And.Contain("SCP.ProtocolVersion", "2.0");
        m.Properties.Should().NotContainKey("SCP.RRInterval", "29999 means undefined");
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_HealforceNonConformant_ThrowsClearFileLengthError()
    {
        var act = () => ScpEcgReader.Read(FormatSamples.Path(Healforce));

        act.Should().Throw<EcgFormatException>().WithMessage("*healforce_prince180d_62.SCP: the file-length field says 1928331264 bytes but the file has 32768*")
            .Which.Field.Should().Be("file length");
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_WrongFileCrc_ThrowsNamingBothValues()
    {
        byte[] bytes = FormatSamples.Bytes(Example);
        bytes[0] ^= 0x01;

        var act = () => ReadBytes(bytes);

        act.Should().Throw<EcgFormatException>().WithMessage("t.scp: the file CRC-CCITT is 0x066B but the file says 0x066A*").Which.Field.Should().Be("file CRC");
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_WrongSectionCrc_ThrowsNamingSection()
    {
        byte[] bytes = FormatSamples.Bytes(Example);
        bytes[ScpTestFile.DataOffset(bytes, 6) + 100] ^= 0xFF;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, ScpTestFile.Crc(bytes.AsSpan(2))); // file CRC fixed, section CRC not

        var act = () => ReadBytes(bytes);

        act.Should().Throw<EcgFormatException>().WithMessage("*CRC-CCITT of section 6 is*").Which.Field.Should().Be("section 6 CRC");
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_SectionPointerPastEnd_Throws()
    {
        byte[] bytes = FormatSamples.Bytes(Example);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(6 + 16 + (10 * 6) + 6), (uint)bytes.Length - 100); // section 6 index

        var act = () => ReadBytes(ScpTestFile.Reseal(bytes));

        act.Should().Throw<EcgFormatException>().WithMessage("*pointer to section 6*must lie inside the file*").Which.Field.Should().Be("section 6 pointer");
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_BillionSampleDeclaredLength_ThrowsBeforeAllocating()
    {
        byte[] bytes = FormatSamples.Bytes(Example);
        int s3 = ScpTestFile.DataOffset(bytes, 3);
        for (int lead = 0; lead < 12; lead++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(s3 + 2 + (9 * lead) + 4), 1_000_000_000);
        }

        var act = () => ReadBytes(ScpTestFile.Reseal(bytes));

        act.Should().Throw<EcgFormatException>().WithMessage("*must hold 1000000000 samples but its 2510 bytes can hold at most 20080*");
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_UnknownLeadId_IsKeptUnderScpName()
    {
        byte[] bytes = FormatSamples.Bytes(Example);
        bytes[ScpTestFile.DataOffset(bytes, 3) + 2 + (9 * 11) + 8] = 200; // aVF → unknown id 200

        EcgRecord r = ReadBytes(ScpTestFile.Reseal(bytes)).Rhythm;

        r.LeadNames.Should().Contain("SCP200").And.NotContain("aVF");
        r.LeadNames[^1].Should().Be("SCP200");
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_BimodalCompression_ThrowsNotSupported()
    {
        byte[] bytes = FormatSamples.Bytes(Example);
        bytes[ScpTestFile.DataOffset(bytes, 6) + 5] = 1;

        var act = () => ReadBytes(ScpTestFile.Reseal(bytes));

        act.Should().Throw<EcgFormatException>().WithMessage("*bimodal compression*not supported*").Which.Field.Should().Be("section 6 bimodal compression");
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_TruncatedFile_ThrowsAtEveryOffset()
    {
        byte[] bytes = FormatSamples.Bytes(Example);
        foreach (int cut in new[] { 0, 1, 5, 21, 100, 400, 3000, bytes.Length / 2, bytes.Length - 1 })
        {
            var act = () => ScpEcgReader.Read(new MemoryStream(bytes, 0, cut), $"cut-{cut}");

            act.Should().Throw<EcgFormatException>().WithMessage($"cut-{cut}: *");
        }
    }

    [SharedDataFact(FormatSamples.Folder + "/scp-ecg")]
    public void Read_TruncatedWithFixedLengthAndCrc_ThrowsSectionOutsideFile()
    {
        byte[] bytes = FormatSamples.Bytes(Example)[..20000];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2), 20000);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, ScpTestFile.Crc(bytes.AsSpan(2)));

        var act = () => ReadBytes(bytes);

        act.Should().Throw<EcgFormatException>().WithMessage("*section 6*inside the file of 20000 bytes*");
    }

    [Fact]
    public void Read_UncompressedFirstDifferences_ReconstructsValues()
    {
        // No section 2: 16-bit samples; first differences; AVM 5000 nV; 250 Hz.
        short[] diffs = [10, 2, -3, 0, 5];
        var s6 = new ScpTestFile.Bytes().U16(5000).U16(4000).U8(1).U8(0).U16(10);
        foreach (short d in diffs)
        {
            s6.U16((ushort)d);
        }

        byte[] file = ScpTestFile.Build(new Dictionary<int, byte[]>
        {
            [3] = new ScpTestFile.Bytes().U8(1).U8(0b100).U32(1).U32(5).U8(2).ToArray(),
            [6] = s6.ToArray(),
        });

        EcgRecord r = ReadBytes(file).Rhythm;

        r.LeadNames.Should().Equal("II");
        r.SamplingRate.Should().Be(250);
        r.GetLead("II").ToArray().Should().Equal([0.050f, 0.060f, 0.045f, 0.045f, 0.070f], (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Read_CustomHuffmanTable_DecodesWithBitReversedBaseCodes()
    {
        // Table: "0" → 0, "10" → 1, "11" + 8-bit two's complement. Values 0, 1, -5, 1, 0 → bits 0 10 11 11111011 10 0.
        var s2 = new ScpTestFile.Bytes().U16(1).U16(3)
            .U8(1).U8(1).U8(1).U16(0).U32(0)
            .U8(2).U8(2).U8(1).U16(1).U32(0b01)
            .U8(2).U8(10).U8(1).U16(0).U32(0b11);
        byte[] file = ScpTestFile.Build(new Dictionary<int, byte[]>
        {
            [2] = s2.ToArray(),
            [3] = new ScpTestFile.Bytes().U8(1).U8(0).U32(1).U32(5).U8(1).ToArray(),
            [6] = new ScpTestFile.Bytes().U16(1000).U16(2000).U8(0).U8(0).U16(2).U8(0x5F).U8(0xDC).ToArray(),
        });

        EcgRecord r = ReadBytes(file).Rhythm;

        r.GetLead("I").ToArray().Should().Equal(0f, 0.001f, -0.005f, 0.001f, 0f);
    }

    [Fact]
    public void Read_CustomTableWithLongCodes_DecodesBitByBit()
    {
        // 13-bit prefixes are beyond the 12-bit lookup table: "0" → 0, "1111111111110" → 7. Values 7, 0, 7 (27 bits).
        uint bits = 0b1111111111110_0_1111111111110u << 5;
        var s2 = new ScpTestFile.Bytes().U16(1).U16(2)
            .U8(1).U8(1).U8(1).U16(0).U32(0)
            .U8(13).U8(13).U8(1).U16(7).U32(0b0111111111111);
        byte[] file = ScpTestFile.Build(new Dictionary<int, byte[]>
        {
            [2] = s2.ToArray(),
            [3] = new ScpTestFile.Bytes().U8(1).U8(0).U32(1).U32(3).U8(3).ToArray(),
            [6] = new ScpTestFile.Bytes().U16(1000).U16(2000).U8(0).U8(0).U16(4)
                .U8((int)(bits >> 24)).U8((int)(bits >> 16) & 0xFF).U8((int)(bits >> 8) & 0xFF).U8((int)bits & 0xFF).ToArray(),
        });

        ReadBytes(file).Rhythm.GetLead("V1").ToArray().Should().Equal(0.007f, 0f, 0.007f);
    }

    [Fact]
    public void Read_ReferenceBeatSubtracted_AddsBeatBackAroundQrs()
    {
        // Rhythm residual 1 everywhere (10 samples at 1 kHz); reference beat 10,20,…,60 (6 ms); fcM = 3;
        // one type-0 QRS from sample 4 to 7 with fiducial 5: samples 4..7 get reference samples 2..5.
        var s6 = new ScpTestFile.Bytes().U16(1000).U16(1000).U8(0).U8(0).U16(20);
        var s5 = new ScpTestFile.Bytes().U16(1000).U16(1000).U8(0).U8(0).U16(12);
        for (int k = 0; k < 10; k++)
        {
            s6.U16(1);
        }

        for (int k = 1; k <= 6; k++)
        {
            s5.U16(10 * k);
        }

        byte[] file = ScpTestFile.Build(new Dictionary<int, byte[]>
        {
            [3] = new ScpTestFile.Bytes().U8(1).U8(0b101).U32(1).U32(10).U8(2).ToArray(),
            [4] = new ScpTestFile.Bytes().U16(6).U16(3).U16(1).U16(0).U32(4).U32(5).U32(7).U32(4).U32(7).ToArray(),
            [5] = s5.ToArray(),
            [6] = s6.ToArray(),
        });

        EcgDocument doc = ReadBytes(file);

        doc.Rhythm.GetLead("II").ToArray().Select(v => MathF.Round(v * 1000)).Should().Equal(1, 1, 1, 21, 31, 41, 51, 1, 1, 1);
        doc.RepresentativeBeats!.GetLead("II").ToArray().Select(v => MathF.Round(v * 1000)).Should().Equal(10, 20, 30, 40, 50, 60);
    }

    [Fact]
    public void Read_HuffmanDataEndsEarly_Throws()
    {
        byte[] file = ScpTestFile.Build(new Dictionary<int, byte[]>
        {
            [2] = new ScpTestFile.Bytes().U16(19999).ToArray(),
            [3] = new ScpTestFile.Bytes().U8(1).U8(0).U32(1).U32(4).U8(1).ToArray(),
            [6] = new ScpTestFile.Bytes().U16(1000).U16(2000).U8(0).U8(0).U16(1).U8(0xFF).ToArray(),
        });

        var act = () => ReadBytes(file);

        act.Should().Throw<EcgFormatException>().WithMessage("*Huffman data of lead 0 in section 6 ends*").Which.Field.Should().Be("section 6 lead data");
    }

    [Fact]
    public void Read_NoRhythmSection_Throws()
    {
        byte[] file = ScpTestFile.Build(new Dictionary<int, byte[]>
        {
            [3] = new ScpTestFile.Bytes().U8(1).U8(0).U32(1).U32(16).U8(1).ToArray(),
        });

        var act = () => ReadBytes(file);

        act.Should().Throw<EcgFormatException>().WithMessage("*no rhythm data (section 6)*");
    }
}
