using EcgVision.Imaging.Io;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EcgVision.Imaging.Tests.Io;

public class EcgImageWriterTests
{
    private static Rgb24[] Decode(byte[] png, out int width, out int height)
    {
        using var image = Image.Load<Rgb24>(png);
        width = image.Width;
        height = image.Height;
        var pixels = new Rgb24[width * height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    private static byte[] Encode(float[] chw, int c, int h, int w, EcgImagePngOptions? options = null)
    {
        using var ms = new MemoryStream();
        EcgImageWriter.WritePng(chw, c, h, w, ms, options);
        return ms.ToArray();
    }

    [Fact]
    public void WritePng_ThreeChannelsWithFixedRange_RoundTripsToTheNearestLevel()
    {
        const int h = 5, w = 7;
        var random = new Random(1);
        float[] chw = Enumerable.Range(0, 3 * h * w).Select(_ => (float)random.NextDouble()).ToArray();

        var pixels = Decode(Encode(chw, 3, h, w, new() { Min = 0, Max = 1 }), out int width, out int height);

        (width, height).Should().Be((w, h));
        for (int i = 0; i < h * w; i++)
        {
            pixels[i].R.Should().Be((byte)MathF.Round(chw[i] * 255));
            pixels[i].G.Should().Be((byte)MathF.Round(chw[h * w + i] * 255));
            pixels[i].B.Should().Be((byte)MathF.Round(chw[2 * h * w + i] * 255));
        }
    }

    [Fact]
    public void WritePng_ThreeChannelsDefault_StretchesEachChannelToFullRange()
    {
        float[] chw = [0, 1, /* G */ -5, 5, /* B */ 100, 300];

        var pixels = Decode(Encode(chw, 3, 1, 2), out _, out _);

        pixels[0].Should().Be(new Rgb24(0, 0, 0));
        pixels[1].Should().Be(new Rgb24(255, 255, 255));
    }

    [Fact]
    public void WritePng_SingleChannel_UsesViridisEnds()
    {
        float[] chw = [-1, 0, 1, float.NaN];

        var pixels = Decode(Encode(chw, 1, 1, 4, new() { Min = -1, Max = 1 }), out _, out _);

        pixels[0].Should().Be(new Rgb24(68, 1, 84), "viridis starts at #440154");
        pixels[2].Should().Be(new Rgb24(253, 231, 37), "viridis ends at #FDE725");
        pixels[1].Should().Be(new Rgb24(Viridis.Get(128).R, Viridis.Get(128).G, Viridis.Get(128).B));
        pixels[3].Should().Be(new Rgb24(0, 0, 0), "NaN is drawn black");
    }

    [Fact]
    public void WritePng_SingleChannelGrey_WritesLevels()
    {
        var pixels = Decode(Encode([0, 0.5f, 1], 1, 1, 3, new() { UseColormap = false }), out _, out _);

        pixels.Select(p => p.R).Should().Equal(0, 128, 255);
        pixels.Should().OnlyContain(p => p.R == p.G && p.G == p.B);
    }

    [Fact]
    public void Viridis_Table_Has256MonotoneBrightnessEntries()
    {
        Viridis.Table.Length.Should().Be(768);
        double previous = -1;
        for (int i = 0; i < 256; i++)
        {
            var (r, g, b) = Viridis.Get(i);
            double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            luma.Should().BeGreaterThan(previous - 0.5, "viridis lightness increases monotonically");
            previous = luma;
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(0)]
    public void WritePng_WrongChannelCount_Throws(int channels)
    {
        var act = () => Encode(new float[channels * 4], channels, 2, 2);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("channels");
    }

    [Fact]
    public void WritePng_LengthDoesNotMatchShape_Throws()
    {
        var act = () => Encode(new float[11], 3, 2, 2);

        act.Should().Throw<ArgumentException>().WithParameterName("chw").WithMessage("*12*11*");
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, 0)]
    public void WritePng_ZeroSize_Throws(int h, int w)
    {
        var act = () => Encode([], 1, h, w);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void WritePng_OnlyMinGiven_Throws()
    {
        var act = () => Encode(new float[4], 1, 2, 2, new() { Min = 0 });

        act.Should().Throw<ArgumentException>().WithMessage("*Min and Max*");
    }

    [Fact]
    public void SavePng_And_SaveNpy_WriteFiles()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ecgvision-io-{Guid.NewGuid():N}");
        try
        {
            float[] chw = Enumerable.Range(0, 3 * 4 * 6).Select(i => (float)i).ToArray();

            EcgImageWriter.SavePng(chw, 3, 4, 6, Path.Combine(dir, "a.png"));
            EcgImageWriter.SaveNpy(chw, 3, 4, 6, Path.Combine(dir, "a.npy"));

            Image.Identify(Path.Combine(dir, "a.png")).Width.Should().Be(6);
            new FileInfo(Path.Combine(dir, "a.npy")).Length.Should().Be(128 + 3 * 4 * 6 * 4);
            Directory.GetFiles(dir).Should().HaveCount(2, "atomic writes leave no temporary files");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
