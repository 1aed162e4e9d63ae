using System.Text;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

public class EcgFileTests
{
    public static TheoryData<string, EcgFileFormat> Samples => new()
    {
        { "hl7-aecg/hl7_example_aecg.xml", EcgFileFormat.HL7Aecg },
        { "hl7-aecg/fda_minimum_aecg.xml", EcgFileFormat.HL7Aecg },
        { "hl7-aecg/philips_pagewriter_ad4d3d80-d165_converted.xml", EcgFileFormat.HL7Aecg },
        { "ge-muse-xml/muse_ecg1.xml", EcgFileFormat.GeMuseXml },
        { "ge-muse-xml/muse_ecg2.xml", EcgFileFormat.GeMuseXml },
        { "ge-muse-xml/muse_ecg3.xml", EcgFileFormat.GeMuseXml },
        { "edf/wfdb_test_generator_2.edf", EcgFileFormat.Edf },
        { "edf/pyedflib_test_generator.edf", EcgFileFormat.Edf },
        { "philips-sierra-xml/129DYPRG.XML", EcgFileFormat.PhilipsSierraXml },
        { "philips-sierra-xml/3191723_ZZDEMOPTONLY_1-04_orig.xml", EcgFileFormat.PhilipsSierraXml },
        { "dicom-ecg/pydicom_waveform_ecg.dcm", EcgFileFormat.Dicom },
        { "scp-ecg/ecgtoolkit_example.scp", EcgFileFormat.ScpEcg },
        { "dicom-ecg/ecgtoolkit_example.dcm", EcgFileFormat.Dicom },
        { "philips-sierra-xml/2020-5-18_15-48-11.xml", EcgFileFormat.PhilipsSierraXml },
        { "philips-sierra-xml/ad4d3d80-d165_1-04_orig.xml", EcgFileFormat.PhilipsSierraXml },
    };

    [SharedDataTheory(FormatSamples.Folder)]
    [MemberData(nameof(Samples))]
    public void DetectFormat_SampleFile_RecognisesItsFormat(string file, EcgFileFormat expected)
    {
        using var stream = File.OpenRead(FormatSamples.Path(file));

        EcgFile.DetectFormat(stream).Should().Be(expected);
        stream.Position.Should().Be(0);
    }

    [SharedDataTheory(FormatSamples.Folder)]
    [InlineData("hl7-aecg/hl7_example_aecg.xml", 12, 500.0, 10.0)]
    [InlineData("ge-muse-xml/muse_ecg2.xml", 12, 500.0, 10.0)]
    [InlineData("edf/wfdb_test_generator_2.edf", 1, 200.0, 600.0)]
    public void Read_DetectsFromContentNotName(string file, int leads, double rate, double seconds)
    {
        // A misleading name and a non-seekable stream: detection must use the bytes.
        using var stream = new NonSeekableStream(FormatSamples.Bytes(file));

        EcgRecord r = EcgFile.Read(stream, "misnamed.dcm");

        r.LeadCount.Should().Be(leads);
        r.SamplingRate.Should().Be(rate);
        r.Duration.TotalSeconds.Should().BeApproximately(seconds, 1e-9);
        r.Metadata.Source.Should().Be("misnamed.dcm");
    }

    [SharedDataTheory(FormatSamples.Folder)]
    [InlineData("scp-ecg/ecgtoolkit_example.scp", 12, 500.0, 5000, 599)]
    [InlineData("dicom-ecg/ecgtoolkit_example.dcm", 12, 500.0, 5000, 600)]
    [InlineData("dicom-ecg/pydicom_waveform_ecg.dcm", 12, 1000.0, 10000, 1200)]
    [InlineData("philips-sierra-xml/129DYPRG.XML", 12, 500.0, 5500, null)]
    [InlineData("philips-sierra-xml/3191723_ZZDEMOPTONLY_1-04_orig.xml", 12, 500.0, 5500, 1200)]
    [InlineData("philips-sierra-xml/ad4d3d80-d165_1-04_orig.xml", 12, 500.0, 5500, 1200)]
    [InlineData("philips-sierra-xml/2020-5-18_15-48-11.xml", 12, 500.0, 5500, 1200)]
    public void ReadDocument_SampleOfSinceAddedFormats_HasReadmeLeadsRateAndDuration(string file, int leads, double rate, int samples, int? beatSamples)
    {
        EcgDocument doc = EcgFile.ReadDocument(FormatSamples.Path(file));

        doc.Rhythm.LeadCount.Should().Be(leads);
        doc.Rhythm.SamplingRate.Should().Be(rate);
        doc.Rhythm.SampleCount.Should().Be(samples);
        doc.Rhythm.Duration.TotalSeconds.Should().BeApproximately(samples / rate, 1e-9);
        doc.RepresentativeBeats?.SampleCount.Should().Be(beatSamples);
        if (beatSamples is null)
        {
            doc.RepresentativeBeats.Should().BeNull();
        }
    }

    [SharedDataFact(FormatSamples.Folder)]
    public void Read_NonConformantHealforceScp_IsNotRecognisedAsScp()
    {
        // Its section 0 lacks the "SCPECG" identifier (and its length and CRC are wrong): EcgFile gives a clear error.
        var act = () => EcgFile.Read(FormatSamples.Path("scp-ecg/healforce_prince180d_62.SCP"));

        act.Should().Throw<EcgFormatException>().WithMessage("*not a recognised ECG format*").Which.Field.Should().Be("format");
    }

    [SharedDataTheory(FormatSamples.Folder)]
    [InlineData("hl7-aecg/hl7_example_aecg.xml")]
    [InlineData("hl7-aecg/fda_minimum_aecg.xml")]
    [InlineData("ge-muse-xml/muse_ecg1.xml")]
    [InlineData("edf/wfdb_test_generator_2.edf")]
    [InlineData("scp-ecg/ecgtoolkit_example.scp")]
    [InlineData("dicom-ecg/ecgtoolkit_example.dcm")]
    [InlineData("philips-sierra-xml/129DYPRG.XML")]
    public void Read_TruncatedFile_ThrowsEcgFormatExceptionAtEveryOffset(string file)
    {
        byte[] bytes = FormatSamples.Bytes(file);

        // The last content byte: a cut there removes the final '>' of an XML file (trailing newlines are not content).
        int last = bytes.Length - 1;
        while (bytes[last] is (byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'\t')
        {
            last--;
        }

        int[] offsets = [0, 1, 10, 100, 255, 300, bytes.Length / 3, bytes.Length / 2, last - 100, last];

        foreach (int offset in offsets.Where(o => o >= 0 && o < bytes.Length))
        {
            var act = () => EcgFile.Read(new MemoryStream(bytes, 0, offset), $"cut-{offset}");

            act.Should().Throw<EcgFormatException>("a file cut at byte {0} of {1} is incomplete", offset, bytes.Length)
                .WithMessage($"cut-{offset}: *");
        }
    }

    [Fact]
    public void Read_UnrecognisedContent_Throws()
    {
        var act = () => EcgFile.Read(new MemoryStream(System.Text.Encoding.ASCII.GetBytes("name,value\nI,1\n")), "table.csv");

        act.Should().Throw<EcgFormatException>().WithMessage("table.csv: the content is not a recognised ECG format*");
    }

    [Fact]
    public void Read_AecgWithExternalEntity_IsNotResolved()
    {
        string secretFile = Path.Combine(Path.GetTempPath(), $"ecgvision-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secretFile, "TOP-SECRET-VALUE");
        try
        {
            string xml = $"""
                <!DOCTYPE AnnotatedECG [ <!ENTITY xxe SYSTEM "{secretFile}"> ]>
                <AnnotatedECG xmlns="urn:hl7-org:v3"><id root="&xxe;"/></AnnotatedECG>
                """;

            var act = () => EcgFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml)), "xxe.xml");

            act.Should().Throw<EcgFormatException>().Which.ToString().Should().NotContain("TOP-SECRET-VALUE");
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }

        public override long Length => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
