using System.Buffers.Binary;
using EcgVision.Imaging.Io;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;
using EcgVision.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace EcgVision.Imaging.Tests.Io;

public sealed class EcgImageLoaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ecgvision-loader-{Guid.NewGuid():N}");

    public EcgImageLoaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] GradientImage(bool jpeg, int width = 320, int height = 240)
    {
        using var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 255 / width), (byte)(y * 255 / height), 200);
            }
        }

        using var ms = new MemoryStream();
        if (jpeg)
        {
            image.SaveAsJpeg(ms, new JpegEncoder { Quality = 90 });
        }
        else
        {
            image.SaveAsPng(ms);
        }

        return ms.ToArray();
    }

    [Fact]
    public void Load_Jpeg_ReturnsThreeChannelsAtModelSizeInUnitRange()
    {
        string path = Write("photo.jpg", GradientImage(jpeg: true));

        var tensor = EcgImageLoader.Load(path);

        tensor.Shape.Should().Equal(3, 224, 224);
        tensor.Data.Should().OnlyContain(v => v >= 0 && v <= 1);
        tensor.Data[2 * 224 * 224 + 100].Should().BeApproximately(200 / 255f, 0.03f, "the blue plane is constant 200");
        tensor.Data[223].Should().BeGreaterThan(tensor.Data[0], "red grows left to right");
    }

    [Fact]
    public void Load_Png_OneChannel_IsBt709Luma()
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24(255, 0, 0));
        using var ms = new MemoryStream();
        image.SaveAsPng(ms);

        var tensor = EcgImageLoader.Load(new MemoryStream(ms.ToArray()), new() { Width = 4, Height = 2, Channels = 1 });

        tensor.Shape.Should().Equal(1, 2, 4);
        tensor.Data.Should().OnlyContain(v => Math.Abs(v - 0.2126f) < 1e-4f);
    }

    [Fact]
    public void Load_MeanStd_NormalisesPerChannel()
    {
        using var image = new Image<Rgb24>(4, 4, new Rgb24(255, 0, 51));
        using var ms = new MemoryStream();
        image.SaveAsPng(ms);
        var options = new EcgImageLoadOptions { Width = 4, Height = 4, Mean = [0.5f, 0.5f, 0.5f], Std = [0.5f, 0.25f, 0.1f] };

        var tensor = EcgImageLoader.Load(new MemoryStream(ms.ToArray()), options);

        tensor.Data[0].Should().BeApproximately(1f, 1e-5f);
        tensor.Data[16].Should().BeApproximately(-2f, 1e-5f);
        tensor.Data[32].Should().BeApproximately(-3f, 1e-4f);
    }

    [Fact]
    public void Load_PadMode_KeepsAspectWithWhiteBars()
    {
        string path = Write("wide.png", GradientImage(jpeg: false, width: 400, height: 100));

        var tensor = EcgImageLoader.Load(path, new() { Width = 100, Height = 100, ResizeMode = EcgImageResizeMode.Pad });

        tensor.Data[0].Should().Be(1f, "the top rows are white padding");
        tensor.Data[50 * 100 + 50].Should().BeLessThan(1f);
    }

    [Fact]
    public void FromRendered_RenderedPage_MatchesLoadingItsPng()
    {
        var image = new PaperEcgRenderer(new() { Dpi = 50 }).Render(TestEcg.Sinus(rate: 100));

        var direct = EcgImageLoader.FromRendered(image);
        var viaPng = EcgImageLoader.Load(new MemoryStream(image.EncodePng()));

        direct.Data.Should().Equal(viaPng.Data);
    }

    [SharedDataFact("data/ptb-xl")]
    public void Load_RealPrintoutFromPtbXl_Works()
    {
        var tensor = EcgImageLoader.Load(SharedData.Get("data/ptb-xl/images/00001_hr-0.png"), new() { Width = 320, Height = 256 });

        tensor.Shape.Should().Equal(3, 256, 320);
        tensor.Data.Average().Should().BeGreaterThan(0.5f, "a printout is mostly light paper");
    }

    [Fact]
    public void Load_CorruptPng_ThrowsNamingTheFile()
    {
        byte[] png = GradientImage(jpeg: false);
        for (int i = 60; i < png.Length - 20; i += 7)
        {
            png[i] ^= 0x5A; // scramble the compressed data (the IHDR header at bytes 8-33 stays valid)
        }

        string path = Write("corrupt.png", png);

        var act = () => EcgImageLoader.Load(path);

        act.Should().Throw<EcgFormatException>().Where(e => e.FilePath == path).WithMessage("*corrupt.png*corrupt*");
    }

    // Fuzzing regressions (docs/fuzzing.md, target image; minimised afl-fuzz crashes): ImageSharp 2.1.13's JPEG decoder threw
    // NullReferenceException from JpegDecoderCore.Identify and from JpegComponentPostProcessor.CopyBlocksToColorBuffer.
    [Theory]
    [InlineData("/9gAYABgogAAAQUBAQEBAQEAAAAAAE0yMjIyMjIyMjIyMjIy09TV1tfY2drvPwDy200Lp8lbtpoXT5K6+00Lp+9tTkbTQunyVd/sL/Yrv7TQunyVd/sL/Yr0I4jQ+3w+d+5ufw==")]
    [InlineData("/9j/4AAQbU5G00Lp8lXf7C/2K7+00A==")]
    public void Load_FuzzedCorruptJpeg_ThrowsEcgFormatException(string base64)
    {
        using var stream = new MemoryStream(Convert.FromBase64String(base64));

        var act = () => EcgImageLoader.Load(stream, new EcgImageLoadOptions { Width = 32, Height = 32 }, "fuzzed.jpg");

        act.Should().Throw<EcgFormatException>().WithMessage("*fuzzed.jpg*");
    }

    [Fact]
    public void Load_TruncatedJpeg_ThrowsNamingTheFile()
    {
        byte[] jpeg = GradientImage(jpeg: true);
        string path = Write("cut.jpg", jpeg[..(jpeg.Length / 2)]);

        var act = () => EcgImageLoader.Load(path);

        act.Should().Throw<EcgFormatException>().WithMessage("*cut.jpg*truncated*");
    }

    [Fact]
    public void Load_TruncatedPng_ThrowsNamingTheFile()
    {
        byte[] png = GradientImage(jpeg: false);
        string path = Write("cut.png", png[..(png.Length / 2)]);

        var act = () => EcgImageLoader.Load(path);

        act.Should().Throw<EcgFormatException>().WithMessage("*cut.png*");
    }

    [Fact]
    public void Load_PngDeclaring30000x30000_IsRejectedBeforeDecoding()
    {
        // A valid signature and IHDR (with CRC) declaring 30000×30000 RGB, then an empty IDAT and IEND: decoding would need 2.7 GB.
        string path = Write("bomb.png", CraftPng(30000, 30000));

        var act = () => EcgImageLoader.Load(path);

        act.Should().Throw<EcgFormatException>()
            .Where(e => e.Field == "dimensions")
            .WithMessage("*bomb.png*30000×30000 = 900000000 pixels*MaxPixels*Not decoded*");
    }

    [Fact]
    public void Load_CraftedPngWithinLimit_ReachesTheDecoder()
    {
        // The same crafting at 2×2 with a non-zlib IDAT passes the size check and then fails in the decoder: proves the check above is what stopped it.
        string path = Write("small.png", CraftPng(2, 2, idat: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        var act = () => EcgImageLoader.Load(path);

        act.Should().Throw<EcgFormatException>().Where(e => e.Field != "dimensions");
    }

    [Fact]
    public void Load_ZeroByteFile_Throws()
    {
        string path = Write("empty.png", []);

        var act = () => EcgImageLoader.Load(path);

        act.Should().Throw<EcgFormatException>().WithMessage("*empty.png*empty (0 bytes)*");
    }

    [Fact]
    public void Load_NonImageFile_Throws()
    {
        string path = Write("notes.png", "this is a text file, not an image"u8.ToArray());

        var act = () => EcgImageLoader.Load(path);

        act.Should().Throw<EcgFormatException>().WithMessage("*notes.png*Not a PNG or JPEG*");
    }

    [Fact]
    public void Load_OverMaxBytes_ThrowsBeforeReading()
    {
        string path = Write("big.jpg", GradientImage(jpeg: true));

        var act = () => EcgImageLoader.Load(path, new() { MaxBytes = 100 });

        act.Should().Throw<EcgFormatException>().WithMessage("*big.jpg*MaxBytes allows 100*");
    }

    [Fact]
    public void Load_NonSeekableStreamOverMaxBytes_Throws()
    {
        var stream = new NonSeekableStream(GradientImage(jpeg: true));

        var act = () => EcgImageLoader.Load(stream, new() { MaxBytes = 1000 }, "upload.jpg");

        act.Should().Throw<EcgFormatException>().WithMessage("*upload.jpg*MaxBytes allows 1000*");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        var act = () => EcgImageLoader.Load(Path.Combine(_dir, "nope.png"));

        act.Should().Throw<FileNotFoundException>().WithMessage("*nope.png*");
    }

    public static TheoryData<EcgImageLoadOptions> InvalidOptions => new()
    {
        new EcgImageLoadOptions { Channels = 2 },
        new EcgImageLoadOptions { Width = 0 },
        new EcgImageLoadOptions { MaxPixels = 0 },
        new EcgImageLoadOptions { Mean = [0.5f, 0.5f, 0.5f] },
        new EcgImageLoadOptions { Mean = [0.5f], Std = [0.5f] },
        new EcgImageLoadOptions { Mean = [0, 0, 0], Std = [1, 0, 1] },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Load_InvalidOptions_Throws(EcgImageLoadOptions options)
    {
        string path = Write("ok.png", GradientImage(jpeg: false, 16, 16));

        var act = () => EcgImageLoader.Load(path, options);

        act.Should().Throw<ArgumentException>().WithParameterName("options");
    }

    private static byte[] CraftPng(int width, int height, byte[]? idat = null)
    {
        var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        WriteChunk(ms, "IHDR", ihdr);
        WriteChunk(ms, "IDAT", idat ?? [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(u32, data.Length);
        s.Write(u32);
        byte[] typeAndData = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        s.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(u32, Crc32(typeAndData));
        s.Write(u32);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
