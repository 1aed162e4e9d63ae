using System.Numerics.Tensors;
using EcgVision.Encoding;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;
using EcgVision.Testing;

namespace EcgVision.Imaging.Tests.Rendering;

public sealed class PrintoutImageSourceTests
{
    private static readonly PrintoutImageSource s_source = new();
    private static readonly EcgRecord s_record = TestEcg.Sinus();

    private static float[] Encode(PrintoutImageSource source, EcgRecord record, int? seed = null)
    {
        var x = new float[source.ImageLength];
        source.Encode(record, x, seed);
        return x;
    }

    private static double Correlation(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);

    [Fact]
    public void Shape_Defaults_IsOneChannel64Square()
    {
        s_source.Shape.Should().Be((1, 64, 64));
        s_source.ImageLength.Should().Be(64 * 64);
        s_source.Descriptor.Kind.Should().Be("printout");
        s_source.Descriptor.Size.Should().Be(64);
    }

    [Fact]
    public void Encode_ThreeChannels_FillsEveryChannelWithFiniteValues()
    {
        var source = new PrintoutImageSource(new PrintoutImageSourceOptions { Size = 32, Channels = 3 });
        float[] x = Encode(source, s_record);
        source.Shape.Should().Be((3, 32, 32));
        x.Should().OnlyContain(v => float.IsFinite(v));
        for (int c = 0; c < 3; c++)
        {
            x.AsSpan(c * 1024, 1024).ToArray().Max().Should().BeGreaterThan(1f);
        }
    }

    [Fact]
    public void Encode_Clean_IsStandardisedWithInkPositive()
    {
        float[] x = Encode(s_source, s_record);
        x.Average().Should().BeApproximately(0f, 1e-3f);
        Math.Sqrt(x.Average(v => v * v)).Should().BeApproximately(1, 1e-3);
        // Ink is the bright end: the darkest pixels (traces) lie far above the paper's mean.
        x.Max().Should().BeGreaterThan(3f);
        x.Min().Should().BeGreaterThan(-3f);
    }

    [Fact]
    public void Encode_NoSeed_IsDeterministic()
    {
        Encode(s_source, s_record).Should().Equal(Encode(new PrintoutImageSource(), s_record));
    }

    [Fact]
    public void Encode_SameSeed_IsDeterministic()
    {
        Encode(s_source, s_record, 7).Should().Equal(Encode(s_source, s_record, 7));
    }

    [Fact]
    public void Encode_WithSeed_ChangesPixelsButKeepsThePage()
    {
        float[] clean = Encode(s_source, s_record);
        float[] a = Encode(s_source, s_record, 1);
        float[] b = Encode(s_source, s_record, 2);
        a.Should().NotEqual(clean);
        a.Should().NotEqual(b);
        Correlation(a, clean).Should().BeGreaterThan(0.3, "an augmented photo still shows the same printout");
    }

    [Theory]
    [InlineData(PrintoutAugmentation.Fast)]
    [InlineData(PrintoutAugmentation.Strong)]
    public void Encode_AugmentationPresets_ChangePixels(PrintoutAugmentation augmentation)
    {
        var source = new PrintoutImageSource(new PrintoutImageSourceOptions { Augmentation = augmentation });
        Encode(source, s_record, 3).Should().NotEqual(Encode(source, s_record));
    }

    [Fact]
    public void Encode_AugmentationNone_IgnoresSeed()
    {
        var source = new PrintoutImageSource(new PrintoutImageSourceOptions { Augmentation = PrintoutAugmentation.None });
        Encode(source, s_record, 5).Should().Equal(Encode(source, s_record));
    }

    [Fact]
    public void Encode_DifferentRecords_GiveDifferentImages()
    {
        Encode(s_source, TestEcg.Sinus(bpm: 110)).Should().NotEqual(Encode(s_source, s_record));
    }

    [Fact]
    public void Encode_HigherSamplingRate_LooksTheSame()
    {
        // Decimation to ~2 points per pixel column must not change what the page shows.
        Correlation(Encode(s_source, TestEcg.Sinus(rate: 1000)), Encode(s_source, TestEcg.Sinus(rate: 500))).Should().BeGreaterThan(0.97);
    }

    [Fact]
    public void Encode_ShortDestination_Throws()
    {
        Action act = () => s_source.Encode(s_record, new float[s_source.ImageLength - 1]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage("*4096*4095*");
    }

    [Fact]
    public void Encode_NullRecord_Throws()
    {
        Action act = () => s_source.Encode(null!, new float[s_source.ImageLength]);
        act.Should().Throw<ArgumentNullException>().WithParameterName("record");
    }

    [Fact]
    public void Encode_MissingLead_ThrowsKeyNotFound()
    {
        EcgRecord sixLeads = s_record.SelectLeads(["I", "II", "III", "aVR", "aVL", "aVF"]);
        Action act = () => s_source.Encode(sixLeads, new float[s_source.ImageLength]);
        act.Should().Throw<KeyNotFoundException>();
    }

    [Theory]
    [InlineData(8, 1, 50)]
    [InlineData(2000, 1, 50)]
    [InlineData(64, 2, 50)]
    [InlineData(64, 1, 40)]
    [InlineData(64, 1, double.NaN)]
    public void Constructor_OutOfRangeOption_Throws(int size, int channels, double dpi)
    {
        Action act = () => _ = new PrintoutImageSource(new PrintoutImageSourceOptions { Size = size, Channels = channels, Dpi = dpi });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_UndefinedAugmentation_ThrowsNotSupported()
    {
        Action act = () => _ = new PrintoutImageSource(new PrintoutImageSourceOptions { Augmentation = (PrintoutAugmentation)42 });
        act.Should().Throw<NotSupportedException>().WithMessage("*42*");
    }

    [Fact]
    public void FromDescriptor_RoundTrip_RecreatesTheSameImages()
    {
        var source = new PrintoutImageSource(new PrintoutImageSourceOptions
        {
            Size = 48, Channels = 3, Dpi = 60, GridColors = GridColorScheme.Blue, Layout = PaperEcgLayout.SixByTwo, Augmentation = PrintoutAugmentation.Strong,
        });
        var copy = PrintoutImageSource.FromDescriptor(source.Descriptor);
        copy.Options.Should().Be(source.Options);
        copy.Descriptor.Settings.Should().Equal(source.Descriptor.Settings);
        Encode(copy, s_record, 9).Should().Equal(Encode(source, s_record, 9));
    }

    [Fact]
    public void FromDescriptor_OtherKind_Throws()
    {
        Action act = () => PrintoutImageSource.FromDescriptor(new QiuImageSource(64).Descriptor);
        act.Should().Throw<ArgumentException>().WithParameterName("descriptor").WithMessage("*printout*qiu*");
    }

    [Theory]
    [InlineData("dpi", "fast")]
    [InlineData("augmentation", "heavy")]
    [InlineData("layout", "4x3")]
    public void FromDescriptor_BadSetting_Throws(string key, string value)
    {
        var descriptor = new EcgImageSourceDescriptor("printout", 64, new Dictionary<string, string> { [key] = value });
        Action act = () => PrintoutImageSource.FromDescriptor(descriptor);
        act.Should().Throw<ArgumentException>().WithParameterName("descriptor").WithMessage($"*{key}*{value}*");
    }

    [Fact]
    public void EncodePhoto_RenderedPng_MatchesEncode()
    {
        // A 200-DPI PNG of the same page (what a clean scan looks like) must land close to the 50-DPI rendering in tensor space.
        var page = new PaperEcgRenderer(new PaperEcgRenderOptions { ShowHeader = false }).Render(s_record);
        using var png = new MemoryStream(page.EncodePng());
        var photo = new float[s_source.ImageLength];
        s_source.EncodePhoto(png, photo, "scan.png");
        photo.Average().Should().BeApproximately(0f, 1e-3f);
        Correlation(photo, Encode(s_source, s_record)).Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void EncodePhoto_Path_MatchesStream()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ecgvision-printout-{Guid.NewGuid():N}.png");
        try
        {
            new PaperEcgRenderer(new PaperEcgRenderOptions { Dpi = 60 }).Render(s_record).SavePng(path);
            var fromPath = new float[s_source.ImageLength];
            var fromStream = new float[s_source.ImageLength];
            s_source.EncodePhoto(path, fromPath);
            using (var stream = File.OpenRead(path))
            {
                s_source.EncodePhoto(stream, fromStream);
            }

            fromPath.Should().Equal(fromStream);
            fromPath.Should().OnlyContain(v => float.IsFinite(v));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EncodePhoto_NotAnImage_ThrowsFormatErrorNamingTheSource()
    {
        using var text = new MemoryStream(System.Text.Encoding.ASCII.GetBytes("this is not an image"));
        Action act = () => s_source.EncodePhoto(text, new float[s_source.ImageLength], "upload.jpg");
        act.Should().Throw<EcgFormatException>().WithMessage("upload.jpg*");
    }

    [Fact]
    public void EncodePhoto_MissingFile_ThrowsFileNotFound()
    {
        Action act = () => s_source.EncodePhoto("/nonexistent/ecg.png", new float[s_source.ImageLength]);
        act.Should().Throw<FileNotFoundException>().WithMessage("*ecg.png*");
    }

    [Fact]
    public void EncodePhoto_ShortDestination_ThrowsBeforeReading()
    {
        Action act = () => s_source.EncodePhoto("/nonexistent/ecg.png", new float[10]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    [SharedDataFact("data/ptb-xl/images")]
    public void EncodePhoto_PtbXlImages_AllLoadIntoTheModelFormat()
    {
        string[] files = Directory.GetFiles(SharedData.Get("data/ptb-xl/images"), "*.png");
        files.Should().NotBeEmpty();
        var x = new float[s_source.ImageLength];
        foreach (string file in files)
        {
            s_source.EncodePhoto(file, x);
            x.Should().OnlyContain(v => float.IsFinite(v), file);
            x.Average().Should().BeApproximately(0f, 1e-3f, file);
            x.Max().Should().BeGreaterThan(1f, $"{file} should show dark ink on light paper");
        }
    }
}
