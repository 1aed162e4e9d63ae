using System.Buffers.Binary;
using EcgVision.Signals;
using EcgVision.Signals.Wfdb;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Wfdb;

public class WfdbReaderTests
{
    private static short[] Int16(params int[] v) => v.Select(x => (short)x).ToArray();

    private static byte[] Format16Bytes(short[] interleaved)
    {
        var b = new byte[interleaved.Length * 2];
        for (int i = 0; i < interleaved.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), interleaved[i]);
        }

        return b;
    }

    private static short Checksum(IEnumerable<short> values) => (short)values.Sum(v => (int)v);

    /// <summary>Two signals, three samples each, format 16: I = [10, 20, 30], II = [-5, 0, 5].</summary>
    private static string WriteTwoSignalRecord(TempDirectory dir, string? headerOverride = null, byte[]? dat = null)
    {
        dir.WriteBytes("rec.dat", dat ?? Format16Bytes(Int16(10, -5, 20, 0, 30, 5)));
        return dir.WriteText("rec.hea", headerOverride ?? """
            rec 2 100 3
            rec.dat 16 1000(0)/mV 16 0 10 60 0 I
            rec.dat 16 1000(0)/mV 16 0 -5 0 0 II
            """);
    }

    [SharedDataFact("data/ptb-xl/records100/00000/00001_lr.hea")]
    public void Read_Ptbxl00001_EqualsDigitalMinusBaselineOverGainFromRawBytes()
    {
        string hea = SharedData.Get("data/ptb-xl/records100/00000/00001_lr.hea");
        byte[] raw = File.ReadAllBytes(Path.ChangeExtension(hea, ".dat"));

        var record = WfdbReader.Read(hea);

        record.LeadCount.Should().Be(12);
        record.SampleCount.Should().Be(1000);
        record.SamplingRate.Should().Be(100);
        record.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        record.Metadata.Id.Should().Be("00001_lr");
        record.Metadata.Source.Should().Be(hea);
        raw.Length.Should().Be(12 * 1000 * 2);
        for (int t = 0; t < 1000; t++)
        {
            for (int lead = 0; lead < 12; lead++)
            {
                short digital = BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(((t * 12) + lead) * 2));
                record.GetLead(lead)[t].Should().Be((float)((digital - 0) / 1000.0));
            }
        }
    }

    [SharedDataFact("data/ptb-xl")]
    public void Read_EverySharedPtbXlRecord_Has12LeadsAndPassesChecksums()
    {
        var files = Directory.GetFiles(SharedData.Get("data/ptb-xl/records100"), "*.hea", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(SharedData.Get("data/ptb-xl/records500"), "*.hea", SearchOption.AllDirectories))
            .ToList();
        files.Should().HaveCountGreaterThan(80);
        foreach (string hea in files)
        {
            var record = WfdbReader.Read(hea, new WfdbReadOptions { VerifyChecksums = true });
            record.LeadCount.Should().Be(12, hea);
            record.LeadNames.Should().Equal(StandardLeads.TwelveLead, hea);
            bool hr = hea.EndsWith("_hr.hea", StringComparison.Ordinal);
            record.SamplingRate.Should().Be(hr ? 500 : 100, hea);
            record.SampleCount.Should().Be(hr ? 5000 : 1000, hea);
            record.Samples.ToArray().Should().OnlyContain(v => float.IsFinite(v) && Math.Abs(v) < 30, hea);
        }
    }

    [SharedDataFact("data/ptb-xl/records100/00000/00002_lr.hea")]
    public void Read_ChallengeComments_FillAgeSexAndProperties()
    {
        var record = WfdbReader.Read(SharedData.Get("data/ptb-xl/records100/00000/00002_lr.hea")[..^4]);

        record.Metadata.Age.Should().Be(19);
        record.Metadata.Sex.Should().Be(Sex.Male);
        record.Metadata.Properties["dx"].Should().Be("NORM");
        record.Metadata.Properties["weight"].Should().Be("70");
        record.Metadata.Comments.Should().Contain("Age: 19");
        record.Metadata.AcquisitionTime.Should().Be(new DateTimeOffset(1984, 11, 14, 12, 55, 37, TimeSpan.Zero));
    }

    [SharedDataFact("data/cinc2021-sample")]
    public void Read_CincMatFiles_LoadWithByteOffset()
    {
        var files = Directory.GetFiles(SharedData.Get("data/cinc2021-sample"), "*.hea").ToList();
        string? ptbxlCinc = SharedData.TryGet("data/ptb-xl/cinc2021_format");
        if (ptbxlCinc is not null)
        {
            files.AddRange(Directory.GetFiles(ptbxlCinc, "*.hea"));
        }

        files.Should().HaveCountGreaterThan(10);
        foreach (string hea in files)
        {
            var header = WfdbReader.ReadHeader(hea);
            header.Signals.Should().OnlyContain(s => s.ByteOffset == 24 && s.Format == WfdbFormat.Format16, hea);
            var record = WfdbReader.Read(hea);
            record.LeadCount.Should().Be(12, hea);
            record.HasStandardTwelveLeads.Should().BeTrue(hea);
            record.SampleCount.Should().Be(header.SampleCount!.Value, hea);
            record.Metadata.Properties.Should().ContainKey("dx", hea);
            record.Metadata.Sex.Should().NotBe(Sex.Unknown, hea);
        }
    }

    [SharedDataFact("data/ptbdb-sample/s0010_re.hea")]
    public void Read_PtbDiagnosticRecordWithTwoSignalFiles_Loads15Leads()
    {
        var record = WfdbReader.Read(SharedData.Get("data/ptbdb-sample/s0010_re.hea"));

        record.LeadCount.Should().Be(15);
        record.SamplingRate.Should().Be(1000);
        record.SampleCount.Should().Be(38400);
        record.HasStandardTwelveLeads.Should().BeTrue();
        record.LeadNames.Skip(12).Should().Equal("vx", "vy", "vz");
        record.ToStandardTwelveLead().LeadNames.Should().Equal(StandardLeads.TwelveLead);
        record.Metadata.Age.Should().Be(81);
        record.Metadata.Sex.Should().Be(Sex.Female);
        record.Metadata.Properties["ecg date"].Should().Be("01/10/1990");
    }

    [Fact]
    public void ReadHeader_AllOptionalFields_AreParsed()
    {
        using var dir = new TempDirectory();
        string hea = dir.WriteText("x.hea", """
            # leading comment
            x 3 360/720(5) 1000 10:20:30.5 01/02/2003
            x.dat 212x2:1+10 200(1024)/uV 11 1024 995 -22131 0 MLII lead
            x.dat 212x2:1+10 0/mV
            y.dat 80
            #Age: 56
            # Sex: Female
            """);

        var h = WfdbReader.ReadHeader(hea);

        h.RecordName.Should().Be("x");
        h.SamplingFrequency.Should().Be(360);
        h.CounterFrequency.Should().Be(720);
        h.BaseCounter.Should().Be(5);
        h.SampleCount.Should().Be(1000);
        h.BaseTime.Should().Be(new TimeOnly(10, 20, 30, 500));
        h.BaseDate.Should().Be(new DateOnly(2003, 2, 1));
        h.Comments.Should().Equal("leading comment", "Age: 56", "Sex: Female");
        var s0 = h.Signals[0];
        s0.Should().BeEquivalentTo(new WfdbSignalSpec
        {
            FileName = "x.dat", Format = WfdbFormat.Format212, SamplesPerFrame = 2, Skew = 1, ByteOffset = 10, Gain = 200, Baseline = 1024,
            Units = "uV", AdcResolution = 11, AdcZero = 1024, InitialValue = 995, Checksum = -22131, BlockSize = 0, Description = "MLII lead",
        });
        h.Signals[1].Gain.Should().Be(200, "a gain of 0 means the WFDB default");
        h.Signals[1].AdcResolution.Should().Be(12);
        h.Signals[1].Baseline.Should().Be(0);
        h.Signals[2].Format.Should().Be(WfdbFormat.Format80);
        h.Signals[2].Units.Should().Be("mV");
        h.Signals[2].InitialValue.Should().BeNull();
    }

    [Fact]
    public void ReadHeader_MultiSegmentRecord_ThrowsNotSupportedNamingFile()
    {
        using var dir = new TempDirectory();
        string hea = dir.WriteText("multi.hea", "multi/3 2 125 30\nseg1 10\nseg2 20\n");

        var act = () => WfdbReader.ReadHeader(hea);

        act.Should().Throw<NotSupportedException>().WithMessage($"*{hea}*multi-segment*");
    }

    [Fact]
    public void Read_TwoInterleavedSignals_ConvertsToMillivolts()
    {
        using var dir = new TempDirectory();
        var record = WfdbReader.Read(WriteTwoSignalRecord(dir));

        record.GetLead("I").ToArray().Should().Equal(0.01f, 0.02f, 0.03f);
        record.GetLead("II").ToArray().Should().Equal(-0.005f, 0f, 0.005f);
        record.Metadata.Id.Should().Be("rec");
    }

    [Fact]
    public void Read_PathWithoutExtensionAndStreamOverload_GiveSameSamples()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir);
        var fromPath = WfdbReader.Read(Path.ChangeExtension(hea, null));
        using var headerStream = File.OpenRead(hea);
        var fromStream = WfdbReader.Read(headerStream, name => File.OpenRead(dir.Combine(name)), "rec");

        fromStream.Samples.ToArray().Should().Equal(fromPath.Samples.ToArray());
    }

    [Theory]
    [InlineData("uV", 0.001)]
    [InlineData("V", 1000)]
    [InlineData("mv", 1)]
    public void Read_Units_AreConvertedToMillivolts(string units, double factor)
    {
        using var dir = new TempDirectory();
        dir.WriteBytes("u.dat", Format16Bytes(Int16(100, 300)));
        string hea = dir.WriteText("u.hea", $"u 1 10 2\nu.dat 16 10(50)/{units} 16 0 100 400 0 ECG\n");

        var record = WfdbReader.Read(hea);

        record.GetLead(0)[0].Should().BeApproximately((float)(5 * factor), 1e-6f);
        record.GetLead(0)[1].Should().BeApproximately((float)(25 * factor), 1e-6f);
    }

    [Fact]
    public void Read_Format16Sentinel_BecomesNaN()
    {
        using var dir = new TempDirectory();
        dir.WriteBytes("n.dat", Format16Bytes(Int16(1, short.MinValue, 3)));
        string hea = dir.WriteText("n.hea", "n 1 10 3\nn.dat 16 1 16 0 1 -32764 0 I\n");

        WfdbReader.Read(hea).GetLead(0).ToArray().Should().Equal(1f, float.NaN, 3f);
    }

    [Fact]
    public void Read_Format212_UnpacksHandPackedPairs()
    {
        // Samples 1, -1, 2047, -2048: bytes = [s0 low, (s1 high nibble << 4) | s0 high nibble, s1 low] per pair.
        byte[] dat = [0x01, 0xF0, 0xFF, 0xFF, 0x87, 0x00];
        using var dir = new TempDirectory();
        dir.WriteBytes("p.dat", dat);
        string hea = dir.WriteText("p.hea", "p 1 10 4\np.dat 212 1 12 0 1 -1 0 I\n");

        var digital = WfdbReader.ReadDigital(hea);

        digital.GetSignal(0).ToArray().Should().Equal(1, -1, 2047, -2048);
        WfdbReader.Read(hea).GetLead(0)[3].Should().Be(float.NaN);
    }

    [Fact]
    public void Read_Format310And311_UnpackHandPackedTriples()
    {
        // Samples 1, -2, 300. Format 311: one LE 32-bit word, 10 bits each from bit 0.
        uint w311 = 1u | ((uint)(-2 & 0x3FF) << 10) | (300u << 20);
        // Format 310: word0 = s0 << 1 | (s2 low 5 bits) << 11, word1 = s1 << 1 | (s2 high 5 bits) << 11.
        int w0 = (1 << 1) | ((300 & 0x1F) << 11), w1 = ((-2 & 0x3FF) << 1) | ((300 >> 5) << 11);
        using var dir = new TempDirectory();
        dir.WriteBytes("a.dat", BitConverter.GetBytes(w311));
        dir.WriteBytes("b.dat", [(byte)w0, (byte)(w0 >> 8), (byte)w1, (byte)(w1 >> 8)]);
        dir.WriteText("a.hea", "a 1 10 3\na.dat 311 1 10 0 1 299 0 I\n");
        dir.WriteText("b.hea", "b 1 10 3\nb.dat 310 1 10 0 1 299 0 I\n");

        WfdbReader.ReadDigital(dir.Combine("a")).GetSignal(0).ToArray().Should().Equal(1, -2, 300);
        WfdbReader.ReadDigital(dir.Combine("b")).GetSignal(0).ToArray().Should().Equal(1, -2, 300);
    }

    [Fact]
    public void Read_Format8Differences_IntegrateFromInitialValue()
    {
        using var dir = new TempDirectory();
        dir.WriteBytes("d.dat", [0, 1, 1, 0xFE]); // +0, +1, +1, -2
        string hea = dir.WriteText("d.hea", "d 1 10 4\nd.dat 8 1 8 0 5 23 0 I\n");

        WfdbReader.ReadDigital(hea).GetSignal(0).ToArray().Should().Equal(5, 6, 7, 5);
    }

    [Fact]
    public void Read_SamplesPerFrameAndSkew_AreDeinterleaved()
    {
        // Frame layout: A (2 samples per frame), B (1 sample per frame, skew 1).
        using var dir = new TempDirectory();
        dir.WriteBytes("f.dat", Format16Bytes(Int16(1, 2, 100, 3, 4, 101, 5, 6, 102)));
        string hea = dir.WriteText("f.hea", "f 2 10 2\nf.dat 16x2 1 16 0 1 10 0 A\nf.dat 16:1 1 16 0 101 203 0 B\n");

        var digital = WfdbReader.ReadDigital(hea);

        digital.GetSignal(0).ToArray().Should().Equal(1, 2, 3, 4);
        digital.GetSignal(1).ToArray().Should().Equal(101, 102);
    }

    [Fact]
    public void Read_NoSampleCountInHeader_UsesFileLength()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir, "rec 2 100\nrec.dat 16 1000 16 0 10 60 0 I\nrec.dat 16 1000 16 0 -5 0 0 II\n");

        WfdbReader.Read(hea).SampleCount.Should().Be(3);
    }

    [Fact]
    public void Read_MissingDat_ThrowsNamingHeaderAndSignalFile()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir);
        File.Delete(dir.Combine("rec.dat"));

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<FileNotFoundException>().WithMessage($"*{hea}*signal file of signal 0*rec.dat*does not exist*");
    }

    [Fact]
    public void Read_TruncatedDat_ThrowsNamingFileAndLength()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir, dat: Format16Bytes(Int16(10, -5, 20, 0, 30)));

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<EcgFormatException>().WithMessage("*rec.dat: signal file length:*10 bytes*3 samples per signal*truncated*")
            .Which.Field.Should().Be("signal file length");
    }

    [Fact]
    public void Read_HugeSampleCountWithTinyFile_ThrowsTruncatedWithoutAllocating()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir, "rec 2 100 2000000000\nrec.dat 16 1000 16 0\nrec.dat 16 1000 16 0\n");

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<EcgFormatException>().WithMessage("*truncated*");
    }

    [Fact]
    public void Read_SignalCountDiffersFromSignalLines_ThrowsNamingField()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir, "rec 3 100 3\nrec.dat 16 1000 16 0 10 60 0 I\nrec.dat 16 1000 16 0 -5 0 0 II\n");

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<EcgFormatException>().WithMessage($"{hea}: signal count: header declares 3 signals*has 2 signal lines*")
            .Which.FilePath.Should().Be(hea);
    }

    [Fact]
    public void Read_TooManySignals_ThrowsBeforeAllocating()
    {
        using var dir = new TempDirectory();
        string hea = dir.WriteText("big.hea", "big 5000 100 10\n");

        var act = () => WfdbReader.ReadHeader(hea);

        act.Should().Throw<EcgFormatException>().WithMessage("*signal count:*between 0 and 1024*5000*");
    }

    [Fact]
    public void Read_NonNumericGain_ThrowsNamingSignalAndGain()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir, "rec 2 100 3\nrec.dat 16 1000 16 0 10 60 0 I\nrec.dat 16 abc(0)/mV 16 0 -5 0 0 II\n");

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<EcgFormatException>().WithMessage($"{hea}: gain of signal 1: *'abc(0)/mV'*")
            .Which.Field.Should().Be("gain of signal 1");
    }

    [Fact]
    public void Read_UnknownFormat_ThrowsNamingSignalAndFormat()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir, "rec 2 100 3\nrec.dat 17 1000 16 0 10 60 0 I\nrec.dat 16 1000 16 0 -5 0 0 II\n");

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<EcgFormatException>().WithMessage($"{hea}: format of signal 0: *got 17*");
    }

    [Fact]
    public void Read_ChecksumMismatch_ThrowsNamingSignalAndValues()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir, "rec 2 100 3\nrec.dat 16 1000 16 0 10 61 0 I\nrec.dat 16 1000 16 0 -5 0 0 II\n");

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<EcgFormatException>().WithMessage($"{hea}: checksum of signal 0 (I): the header gives 61 but*sum to 60*");
        WfdbReader.Read(hea, new WfdbReadOptions { VerifyChecksums = false }).LeadCount.Should().Be(2);
    }

    [Fact]
    public void Read_UnsignedChecksum_IsAccepted()
    {
        using var dir = new TempDirectory();
        // Samples -1, -2: sum -3, written unsigned as 65533.
        dir.WriteBytes("c.dat", Format16Bytes(Int16(-1, -2)));
        string hea = dir.WriteText("c.hea", "c 1 10 2\nc.dat 16 1 16 0 -1 65533 0 I\n");

        WfdbReader.Read(hea).GetLead(0).ToArray().Should().Equal(-1f, -2f);
    }

    [Fact]
    public void Read_InitialValueMismatch_ThrowsNamingField()
    {
        using var dir = new TempDirectory();
        string hea = WriteTwoSignalRecord(dir, "rec 2 100 3\nrec.dat 16 1000 16 0 11 60 0 I\nrec.dat 16 1000 16 0 -5 0 0 II\n");

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<EcgFormatException>().WithMessage("*initial value of signal 0 (I): the header gives 11 but the first sample*is 10*");
    }

    [Fact]
    public void Read_MissingHeader_ThrowsFileNotFound()
    {
        using var dir = new TempDirectory();

        var act = () => WfdbReader.Read(dir.Combine("nothing"));

        act.Should().Throw<FileNotFoundException>().WithMessage("*nothing*");
    }
}
