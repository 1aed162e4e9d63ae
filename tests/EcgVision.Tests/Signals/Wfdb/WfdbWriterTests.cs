using CsCheck;
using EcgVision.Signals;
using EcgVision.Signals.Wfdb;

namespace EcgVision.Tests.Signals.Wfdb;

public class WfdbWriterTests
{
    private static WfdbHeader DigitalHeader(string name, WfdbFormat format, int signals) => new()
    {
        RecordName = name,
        SamplingFrequency = 250,
        Signals = Enumerable.Range(0, signals).Select(i => new WfdbSignalSpec
        {
            FileName = name + ".dat",
            Format = format,
            Gain = 100,
            AdcResolution = 12,
            Description = $"S{i}",
        }).ToArray(),
    };

    [Theory]
    [InlineData(WfdbFormat.Format16, -32768, 32767)]
    [InlineData(WfdbFormat.Format212, -2048, 2047)]
    [InlineData(WfdbFormat.Format80, -128, 127)]
    public void WriteDigital_RandomSignals_ReadBackExactly(WfdbFormat format, int min, int max)
    {
        // Random signal counts and lengths (odd lengths included, which matter for 212), values over the whole range including the sentinel (NaN).
        var gen = Gen.Select(Gen.Int[1, 4], Gen.Int[1, 41]).SelectMany((s, n) => Gen.Int[min, max].Array[s * n].Select(v => (s, n, v)));
        using var dir = new TempDirectory();
        int iteration = 0;
        gen.Sample(t =>
        {
            var (signals, n, values) = t;
            string name = $"r{iteration++}";
            var written = WfdbWriter.WriteDigital(dir.Path, DigitalHeader(name, format, signals), values);

            var read = WfdbReader.ReadDigital(dir.Combine(name));

            read.Samples.ToArray().Should().Equal(values);
            read.FrameCount.Should().Be(n);
            read.Header.Signals.Select(s => s.Checksum).Should().Equal(written.Signals.Select(s => s.Checksum));
        }, iter: 60);
    }

    [Theory]
    [InlineData(WfdbFormat.Format16)]
    [InlineData(WfdbFormat.Format212)]
    [InlineData(WfdbFormat.Format80)]
    [InlineData(WfdbFormat.Format61)]
    [InlineData(WfdbFormat.Format160)]
    [InlineData(WfdbFormat.Format24)]
    [InlineData(WfdbFormat.Format32)]
    public void Write_RecordWithNaN_ReadsBackQuantisedValuesAndNaN(WfdbFormat format)
    {
        var gen = Gen.Int[1, 33].SelectMany(n => Gen.Float[-3f, 3f].Array[2 * n]);
        using var dir = new TempDirectory();
        int iteration = 0;
        gen.Sample(values =>
        {
            values[values.Length / 2] = float.NaN;
            var record = new EcgRecord(values, 500, ["II", "V1"], new EcgMetadata { Age = 42, Sex = Sex.Female });
            string name = $"w{iteration++}";
            var header = WfdbWriter.Write(record, dir.Path, name, new WfdbWriteOptions { Format = format });

            var back = WfdbReader.Read(dir.Combine(name + ".hea"));
            double gain = header.Signals[0].Gain;

            back.LeadNames.Should().Equal("II", "V1");
            back.SamplingRate.Should().Be(500);
            back.Metadata.Age.Should().Be(42);
            back.Metadata.Sex.Should().Be(Sex.Female);
            for (int i = 0; i < values.Length; i++)
            {
                float expected = float.IsNaN(values[i]) ? float.NaN : (float)(Math.Round(values[i] * gain, MidpointRounding.AwayFromZero) / gain);
                back.Samples[i].Should().Be(expected);
            }
        }, iter: 20);
    }

    [Fact]
    public void Write_ValueOutsideFormat_ThrowsNamingLeadAndValue()
    {
        using var dir = new TempDirectory();
        var record = new EcgRecord(new float[] { 0f, 7f }, 100, ["V2"]);

        var act = () => WfdbWriter.Write(record, dir.Path, "big", new WfdbWriteOptions { Format = WfdbFormat.Format80 });

        act.Should().Throw<ArgumentException>().WithMessage("*Lead V2 sample 1 is 7 mV = 140 ADC units*format 80 (-127..127)*").WithParameterName("record");
        File.Exists(dir.Combine("big.hea")).Should().BeFalse();
    }

    [Fact]
    public void Write_ClipPolicy_ClipsToFormatRange()
    {
        using var dir = new TempDirectory();
        var record = new EcgRecord(new float[] { -100f, 100f }, 100, ["I"]);

        WfdbWriter.Write(record, dir.Path, "clip", new WfdbWriteOptions { Format = WfdbFormat.Format212, OutOfRange = WfdbOutOfRangePolicy.Clip });

        WfdbReader.ReadDigital(dir.Combine("clip")).GetSignal(0).ToArray().Should().Equal(-2047, 2047);
    }

    [Fact]
    public void Write_ExistingRecord_ThrowsUnlessOverwrite()
    {
        using var dir = new TempDirectory();
        var record = new EcgRecord(new float[] { 1f, 2f }, 100, ["I"]);
        WfdbWriter.Write(record, dir.Path, "r");

        var act = () => WfdbWriter.Write(record, dir.Path, "r");

        act.Should().Throw<IOException>().WithMessage("*r.hea*already exists*");
        WfdbWriter.Write(record.WithMetadata(new EcgMetadata { Id = "x" }), dir.Path, "r", new WfdbWriteOptions { Overwrite = true });
        Directory.GetFiles(dir.Path).Select(Path.GetFileName).Should().BeEquivalentTo("r.hea", "r.dat");
    }

    [Fact]
    public void FormatHeader_WritesPtbXlStyleLines()
    {
        var record = new EcgRecord(new float[] { 0.001f, -0.002f }, 100, ["AVR"],
            new EcgMetadata { AcquisitionTime = new DateTimeOffset(1984, 11, 9, 9, 17, 34, TimeSpan.Zero) });
        using var dir = new TempDirectory();

        WfdbWriter.Write(record, dir.Path, "00001_lr");

        File.ReadAllText(dir.Combine("00001_lr.hea")).Should().Be(
            "00001_lr 1 100 2 09:17:34 09/11/1984\n00001_lr.dat 16 1000(0)/mV 16 0 1 -1 0 aVR\n");
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a b")]
    [InlineData(".hidden")]
    public void Write_InvalidRecordName_Throws(string name)
    {
        using var dir = new TempDirectory();
        var act = () => WfdbWriter.Write(new EcgRecord(new float[] { 1f }, 100, ["I"]), dir.Path, name);

        act.Should().Throw<ArgumentException>().WithParameterName("recordName");
    }
}
