using System.Text;
using CsCheck;
using EcgVision.Signals;
using EcgVision.Signals.Wfdb;

namespace EcgVision.Tests.Signals.Wfdb;

/// <summary>Hostile or damaged inputs must fail with a clear, typed error, never with an index, overflow or out-of-memory error.</summary>
public class WfdbReaderRobustnessTests
{
    private static readonly string[] s_tokens =
    [
        "rec", "rec/2", "2", "12", "0", "-1", "1024", "99999", "2147483648", "100", "100/1000(3)", "500", "1000", "12:00:00", "01/01/2000", "x",
        "rec.dat", "../rec.dat", "16", "212", "80", "310", "311", "8", "0", "16x2", "16:1", "16+24", "16x0", "1000(0)/mV", "abc", "200(", "/uV",
        "16", "-32768", "65535", "#", "# Age: 3", "\n", "\n", "\n", " ",
    ];

    private static bool IsExpected(Exception ex) => ex is EcgFormatException or NotSupportedException or FileNotFoundException;

    [Fact]
    public void Read_RandomHeaderTokens_ThrowOnlyFormatErrors()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("rec.dat"), new byte[96]);
        var gen = Gen.Int[0, s_tokens.Length - 1].Array[1, 30].Select(ix => string.Join(" ", ix.Select(i => s_tokens[i])));
        gen.Sample(text =>
        {
            using var header = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            try
            {
                WfdbReader.Read(header, name => File.OpenRead(dir.Combine(Path.GetFileName(name))), "fuzz.hea");
            }
            catch (Exception ex) when (IsExpected(ex))
            {
            }
        }, iter: 2000);
    }

    [Fact]
    public void Read_RandomBytesAsHeaderAndData_ThrowOnlyFormatErrors()
    {
        var gen = Gen.Select(Gen.Byte.Array[0, 200], Gen.Byte.Array[0, 64]);
        gen.Sample((headerBytes, data) =>
        {
            using var header = new MemoryStream(headerBytes);
            try
            {
                WfdbReader.Read(header, _ => new MemoryStream(data), "fuzz.hea");
            }
            catch (Exception ex) when (IsExpected(ex))
            {
            }
        }, iter: 2000);
    }

    // Fuzzing regression (docs/fuzzing.md, target wfdb): two signals of one file with 2e9 samples per frame each overflowed
    // the int frame-size sum (OverflowException from Enumerable.Sum) instead of failing as a format error.
    [Theory]
    [InlineData("rec 2 100 0\nrec.dat 16x2000000000\nrec.dat 16x2000000000\n")]
    [InlineData("rec 2 100 4\nrec.dat 16x2000000000\nrec.dat 16x2000000000\n")]
    public void Read_HugeSamplesPerFrameSum_ThrowsEcgFormatException(string text)
    {
        using var header = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));

        var act = () => WfdbReader.Read(header, _ => new MemoryStream(new byte[64]), "rec.hea");

        act.Should().Throw<EcgFormatException>().WithMessage("*rec.hea: samples per frame*4000000000 samples per frame*")
            .Which.Field.Should().Be("samples per frame");
    }

    [Fact]
    public void Read_TruncatedAtEveryLength_ThrowsTruncatedError()
    {
        using var dir = new TempDirectory();
        WfdbWriter.Write(new EcgRecord(Enumerable.Range(0, 3 * 7).Select(i => i * 0.01f).ToArray(), 100, ["I", "II", "III"]), dir.Path, "t",
            new WfdbWriteOptions { Format = WfdbFormat.Format212 });
        byte[] full = File.ReadAllBytes(dir.Combine("t.dat"));
        using var header = new MemoryStream(File.ReadAllBytes(dir.Combine("t.hea")));

        for (int length = 0; length < full.Length; length++)
        {
            header.Position = 0;
            var act = () => WfdbReader.Read(header, _ => new MemoryStream(full[..length]), "t.hea");
            act.Should().Throw<EcgFormatException>().WithMessage("*truncated*", $"length {length}");
        }
    }
}

public class WfdbReaderPathTests
{
    [Theory]
    [InlineData("../outside.dat")]
    [InlineData("/etc/hostname")]
    public void Read_SignalFileOutsideHeaderFolder_Throws(string fileName)
    {
        using var dir = new TempDirectory();
        string hea = dir.WriteText("sub/r.hea", $"r 1 100 1\n{fileName} 16 1000 16 0\n");

        var act = () => WfdbReader.Read(hea);

        act.Should().Throw<EcgFormatException>().WithMessage($"*r.hea: file name of signal 0: signal files must lie in the header's folder*{fileName}*");
    }
}
