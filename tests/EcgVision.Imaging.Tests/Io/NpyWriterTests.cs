using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using EcgVision.Imaging.Io;

namespace EcgVision.Imaging.Tests.Io;

public class NpyWriterTests
{
    [Theory]
    [InlineData(new[] { 3, 4, 5 }, "(3, 4, 5)")]
    [InlineData(new[] { 7 }, "(7,)")]
    [InlineData(new[] { 2, 1 }, "(2, 1)")]
    public void Write_HeaderParsesBackPerSpec(int[] shape, string tuple)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        float[] data = Enumerable.Range(0, n).Select(i => i * 0.5f - 1).ToArray();
        using var ms = new MemoryStream();

        NpyWriter.Write(ms, data, shape);
        byte[] bytes = ms.ToArray();

        bytes.AsSpan(0, 6).ToArray().Should().Equal(0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y');
        bytes[6].Should().Be(1);
        bytes[7].Should().Be(0);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        ((10 + headerLength) % 64).Should().Be(0, "the data must start 64-byte aligned");
        string header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        header.Should().EndWith("\n");
        header.TrimEnd(' ', '\n').Should().Be($"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}");
        bytes.Length.Should().Be(10 + headerLength + 4 * n);
        for (int i = 0; i < n; i++)
        {
            BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength + 4 * i)).Should().Be(data[i]);
        }
    }

    [Fact]
    public void Save_NumPyLoadsTheFile()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            return; // the header is checked byte by byte above; this is an extra cross-check where NumPy is installed
        }

        string path = Path.Combine(Path.GetTempPath(), $"ecgvision-{Guid.NewGuid():N}.npy");
        try
        {
            float[] data = Enumerable.Range(0, 24).Select(i => i * 0.25f).ToArray();
            NpyWriter.Save(path, data, 2, 3, 4);
            var psi = new ProcessStartInfo(python, ["-c", $"import numpy as np; a = np.load('{path}'); print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'], float(a[1, 2, 3]))"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(psi)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode != 0 && process.StandardError.ReadToEnd().Contains("No module named 'numpy'", StringComparison.Ordinal))
            {
                return;
            }

            output.Should().Be("float32 (2, 3, 4) True 5.75");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_ShapeDoesNotMatchData_Throws()
    {
        var act = () => NpyWriter.Write(new MemoryStream(), new float[10], 3, 4);

        act.Should().Throw<ArgumentException>().WithParameterName("shape").WithMessage("*12*10*");
    }

    [Fact]
    public void Write_NegativeDimension_Throws()
    {
        var act = () => NpyWriter.Write(new MemoryStream(), new float[0], 0, -1);

        act.Should().Throw<ArgumentException>().WithParameterName("shape").WithMessage("*shape[1]*-1*");
    }
}
