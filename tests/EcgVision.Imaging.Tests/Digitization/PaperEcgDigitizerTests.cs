using EcgVision.Imaging.Digitization;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;
using EcgVision.Signals.Synthetic;
using Xunit.Abstractions;

namespace EcgVision.Imaging.Tests.Digitization;

public sealed class PaperEcgDigitizerTests
{
    private readonly ITestOutputHelper _output;

    public PaperEcgDigitizerTests(ITestOutputHelper output) => _output = output;

    private static SyntheticEcg Synthetic(SyntheticCondition condition, int seed) =>
        SyntheticEcg.Generate(SyntheticEcgSpec.Of(condition), seed);

    private void Report(string name, PaperEcgDigitization d, List<(string Lead, double R, double Rmse, double Snr)> m)
    {
        _output.WriteLine($"{name}: rot {d.RotationDegrees:0.###} px/mm {d.PixelsPerMillimeter:0.###} conf {d.Confidence:0.###} meanR {m.Average(v => v.R):0.###} minR {m.Min(v => v.R):0.###} RMSE {m.Average(v => v.Rmse):0.###} SNR {m.Average(v => v.Snr):0.#}");
        foreach (var v in m)
        {
            _output.WriteLine($"   {v.Lead,-4} r {v.R:0.###} rmse {v.Rmse:0.###} snr {v.Snr:0.#}");
        }

        foreach (string w in d.Warnings)
        {
            _output.WriteLine("   warning: " + w);
        }
    }

    private static MemoryStream Png(int width, int height, Func<int, int, (byte R, byte G, byte B)> color)
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = color(x, y);
                image[x, y] = new SixLabors.ImageSharp.PixelFormats.Rgb24(r, g, b);
            }
        }

        var ms = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, ms);
        ms.Position = 0;
        return ms;
    }

    [Fact]
    public void Digitize_BlankWhiteImage_ThrowsNamingSource()
    {
        using MemoryStream png = Png(1100, 850, (_, _) => (255, 255, 255));

        Action act = () => new PaperEcgDigitizer().Digitize(png, "blank.png");

        act.Should().Throw<EcgFormatException>().WithMessage("*blank.png*").WithMessage("*trace*");
    }

    [Fact]
    public void Digitize_RandomNoiseImage_ThrowsNamingSource()
    {
        var rng = new Random(5);
        using MemoryStream png = Png(1100, 850, (_, _) => ((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)));

        Action act = () => new PaperEcgDigitizer().Digitize(png, "noise.png");

        act.Should().Throw<EcgFormatException>().WithMessage("*noise.png*");
    }

    [Fact]
    public void Digitize_TinyImage_ThrowsNamingSizeAndSource()
    {
        using MemoryStream png = Png(50, 50, (x, y) => x == y ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255));

        Action act = () => new PaperEcgDigitizer().Digitize(png, "tiny.png");

        act.Should().Throw<EcgFormatException>().WithMessage("*tiny.png*").WithMessage("*50×50*");
    }

    [Fact]
    public void Digitize_WrongAspectStripes_ThrowsForMissingRows()
    {
        // A short wide image with a single black line: one "row", where 3×4 + rhythm needs four.
        using MemoryStream png = Png(900, 300, (x, y) => y is >= 150 and < 152 && x is > 50 and < 850 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255));

        Action act = () => new PaperEcgDigitizer().Digitize(png, "strip.png");

        act.Should().Throw<EcgFormatException>().WithMessage("*strip.png*").WithMessage("*expected 4*");
    }

    [Fact]
    public void Digitize_NonImageFile_ThrowsNamingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ecgv-digitize-{Guid.NewGuid():N}.png");
        File.WriteAllText(path, "this is not an image");
        try
        {
            Action act = () => new PaperEcgDigitizer().Digitize(path);

            act.Should().Throw<EcgFormatException>().WithMessage($"*{Path.GetFileName(path)}*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Digitize_TruncatedPng_ThrowsNamingSource()
    {
        byte[] png = new PaperEcgRenderer(new PaperEcgRenderOptions { Dpi = 100 }).Render(TestEcg.Sinus(100)).EncodePng();
        using var truncated = new MemoryStream(png, 0, png.Length / 2);

        Action act = () => new PaperEcgDigitizer().Digitize(truncated, "half.png");

        act.Should().Throw<EcgFormatException>().WithMessage("*half.png*");
    }

    [Theory]
    [InlineData(nameof(PaperEcgDigitizerOptions.SpeedMillimetersPerSecond), 0)]
    [InlineData(nameof(PaperEcgDigitizerOptions.SpeedMillimetersPerSecond), double.NaN)]
    [InlineData(nameof(PaperEcgDigitizerOptions.GainMillimetersPerMillivolt), 0.5)]
    [InlineData(nameof(PaperEcgDigitizerOptions.SamplingRate), 5)]
    [InlineData(nameof(PaperEcgDigitizerOptions.SamplingRate), 5000)]
    [InlineData(nameof(PaperEcgDigitizerOptions.DurationSeconds), 0)]
    [InlineData(nameof(PaperEcgDigitizerOptions.MaxRotationDegrees), -1)]
    [InlineData(nameof(PaperEcgDigitizerOptions.MaxRotationDegrees), 30)]
    public void Constructor_OptionOutOfRange_ThrowsNamingProperty(string property, double value)
    {
        var o = new PaperEcgDigitizerOptions();
        o = property switch
        {
            nameof(PaperEcgDigitizerOptions.SpeedMillimetersPerSecond) => o with { SpeedMillimetersPerSecond = value },
            nameof(PaperEcgDigitizerOptions.GainMillimetersPerMillivolt) => o with { GainMillimetersPerMillivolt = value },
            nameof(PaperEcgDigitizerOptions.SamplingRate) => o with { SamplingRate = value },
            nameof(PaperEcgDigitizerOptions.DurationSeconds) => o with { DurationSeconds = value },
            _ => o with { MaxRotationDegrees = value },
        };

        Action act = () => _ = new PaperEcgDigitizer(o);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options." + property).WithMessage($"*{property}*");
    }

    [Fact]
    public void Constructor_UnknownRhythmLead_ThrowsNamingProperty()
    {
        Action act = () => _ = new PaperEcgDigitizer(new PaperEcgDigitizerOptions { RhythmLead = "V9" });

        act.Should().Throw<ArgumentException>().WithParameterName("options.RhythmLead").WithMessage("*V9*");
    }
}
