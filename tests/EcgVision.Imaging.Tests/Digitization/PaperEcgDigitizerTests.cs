using EcgVision.Imaging.Digitization;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;
using EcgVision.Signals.Synthetic;
using EcgVision.Signals.Wfdb;
using EcgVision.Testing;
using Xunit.Abstractions;

namespace EcgVision.Imaging.Tests.Digitization;

public sealed class PaperEcgDigitizerTests
{
    private readonly ITestOutputHelper _output;

    public PaperEcgDigitizerTests(ITestOutputHelper output) => _output = output;

    private static SyntheticEcg Synthetic(SyntheticCondition condition, int seed) =>
        SyntheticEcg.Generate(SyntheticEcgSpec.Of(condition), seed);


    private static readonly PaperEcgDigitizer s_digitizer = new();

    private void Report(string name, PaperEcgDigitization d, IReadOnlyList<(string Lead, double R, double Rmse, double Snr)> m)
    {
        _output.WriteLine(
            $"{name}: rotation {d.RotationDegrees:0.###}° px/mm {d.PixelsPerMillimeter:0.####} confidence {d.Confidence:0.###} " +
            $"mean r {m.Average(v => v.R):0.###} min r {m.Min(v => v.R):0.###} ({m.MinBy(v => v.R).Lead}) RMSE {m.Average(v => v.Rmse):0.###} mV SNR {m.Average(v => v.Snr):0.#} dB");
        foreach (string w in d.Warnings)
        {
            _output.WriteLine("   warning: " + w);
        }
    }

    private (PaperEcgDigitization Result, List<(string Lead, double R, double Rmse, double Snr)> Metrics) RenderAndDigitize(
        SyntheticEcg ecg, PaperEcgRenderOptions? render = null, int seed = 0, PaperEcgDigitizer? digitizer = null)
    {
        PaperEcgImage page = new PaperEcgRenderer(render).Render(ecg.Record, seed);
        PaperEcgDigitization d = (digitizer ?? s_digitizer).Digitize(page);
        return (d, DigitizationMetrics.PerLead(d, ecg.Record));
    }

    public static TheoryData<string, int> Conditions => new()
    {
        { "NORM", 1 }, { "AFIB", 4 }, { "CLBBB", 5 }, { "STACH", 6 }, { "LVH", 3 },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Digitize_CleanRender_MatchesSourcePerLead(string code, int seed)
    {
        SyntheticEcg ecg = Synthetic(SyntheticCondition.FromCode(code), seed);

        var (d, m) = RenderAndDigitize(ecg);

        Report($"{code} clean 200 DPI", d, m);
        d.Record.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        d.Record.SampleCount.Should().Be(1000);
        d.Record.SamplingRate.Should().Be(100);
        d.Record.Metadata.Source.Should().Be("digitized:<rendered page>");
        d.RotationDegrees.Should().BeApproximately(0, 0.05);
        d.PixelsPerMillimeter.Should().BeApproximately(200 / 25.4, 0.01);
        d.Confidence.Should().BeGreaterThan(0.99);
        d.Warnings.Should().BeEmpty();
        m.Average(v => v.R).Should().BeGreaterThan(0.98);
        m.Min(v => v.R).Should().BeGreaterThan(0.95);
        m.Average(v => v.Rmse).Should().BeLessThan(0.05, "mV, after removing each window's mean offset");
    }

    [Fact]
    public void Digitize_CleanRender_LeadWindowsFollowTheThreeByFourLayout()
    {
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, 2);

        var (d, _) = RenderAndDigitize(ecg);

        d.LeadWindows.Should().Equal(
            new DigitizedLeadWindow("I", 0, 250), new DigitizedLeadWindow("II", 0, 1000), new DigitizedLeadWindow("III", 0, 250),
            new DigitizedLeadWindow("aVR", 250, 500), new DigitizedLeadWindow("aVL", 250, 500), new DigitizedLeadWindow("aVF", 250, 500),
            new DigitizedLeadWindow("V1", 500, 750), new DigitizedLeadWindow("V2", 500, 750), new DigitizedLeadWindow("V3", 500, 750),
            new DigitizedLeadWindow("V4", 750, 1000), new DigitizedLeadWindow("V5", 750, 1000), new DigitizedLeadWindow("V6", 750, 1000));
        foreach (DigitizedLeadWindow w in d.LeadWindows)
        {
            ReadOnlySpan<float> lead = d.Record.GetLead(w.Lead);
            for (int i = 0; i < lead.Length; i++)
            {
                bool inside = i >= w.StartSample && i < w.EndSampleExclusive;
                float.IsNaN(lead[i]).Should().Be(!inside, $"{w.Lead} sample {i} is {(inside ? "inside" : "outside")} its window");
            }
        }
    }

    [Theory]
    [InlineData("NORM", 1)]
    [InlineData("AFIB", 4)]
    [InlineData("STACH", 6)]
    public void Digitize_CleanRender_RPeaksWithinOneSample(string code, int seed)
    {
        SyntheticEcg ecg = Synthetic(SyntheticCondition.FromCode(code), seed);

        var (d, _) = RenderAndDigitize(ecg);

        // R peaks of the rhythm strip (lead II over 10 s): the extreme of the digitised lead near each true peak.
        ReadOnlySpan<float> truth = ecg.Record.GetLead("II");
        ReadOnlySpan<float> digitized = d.Record.GetLead("II");
        int checkedPeaks = 0;
        foreach (int peak in ecg.RPeaks)
        {
            if (peak < 6 || peak > truth.Length - 7)
            {
                continue;
            }

            int t = ArgMaxAbs(truth, peak - 5, peak + 5), p = ArgMaxAbs(digitized, peak - 5, peak + 5);
            Math.Abs(p - t).Should().BeLessThanOrEqualTo(1, $"R peak at sample {t} of {code}");
            checkedPeaks++;
        }

        checkedPeaks.Should().BeGreaterThan(5);
    }

    private static int ArgMaxAbs(ReadOnlySpan<float> x, int from, int to)
    {
        int best = from;
        for (int i = from; i <= to; i++)
        {
            if (Math.Abs(x[i]) > Math.Abs(x[best]))
            {
                best = i;
            }
        }

        return best;
    }

    [Fact]
    public void Digitize_RateFiveHundred_MatchesSource()
    {
        SyntheticEcg ecg = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.Normal), 8, new SyntheticEcgOptions { SamplingRate = 500 });
        var digitizer = new PaperEcgDigitizer(new PaperEcgDigitizerOptions { SamplingRate = 500 });

        var (d, m) = RenderAndDigitize(ecg, digitizer: digitizer);

        Report("NORM 500 Hz", d, m);
        d.Record.SampleCount.Should().Be(5000);
        d.LeadWindows.Single(w => w.Lead == "aVR").Should().Be(new DigitizedLeadWindow("aVR", 1250, 2500));
        m.Average(v => v.R).Should().BeGreaterThan(0.96);
    }

    public static TheoryData<string, int, int> AugmentedCases => new()
    {
        { "NORM", 7, 15 }, { "NORM", 8, 16 }, { "AFIB", 4, 12 }, { "CLBBB", 5, 13 }, { "STACH", 6, 14 }, { "LVH", 3, 11 },
    };

    [Theory]
    [MemberData(nameof(AugmentedCases))]
    public void Digitize_DefaultAugmentation_MatchesSource(string code, int seed, int augmentationSeed)
    {
        SyntheticEcg ecg = Synthetic(SyntheticCondition.FromCode(code), seed);
        var render = new PaperEcgRenderOptions { Augmentation = PaperEcgAugmentationOptions.Default };

        var (d, m) = RenderAndDigitize(ecg, render, augmentationSeed);

        Report($"{code} augmented (seed {augmentationSeed})", d, m);
        var aligned = DigitizationMetrics.PerLead(d, ecg.Record, removeOffset: true, maxShift: 1);
        Report($"{code} augmented (seed {augmentationSeed}), ±1 sample", d, aligned);
        m.Average(v => v.R).Should().BeGreaterThan(0.94);
        m.Min(v => v.R).Should().BeGreaterThan(0.85);

        // A strong perspective can still shift a row's time axis by part of a sample (10 ms), which costs sharp QRS complexes some r.
        aligned.Average(v => v.R).Should().BeGreaterThan(0.95);
        aligned.Count(v => v.R > 0.9).Should().BeGreaterThanOrEqualTo(11, "nearly every lead survives a photo look");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    public void Digitize_StrongAugmentation_StillReadsThePage(int seed)
    {
        // Beyond the required Default look: every effect on (rotation ≤ 5°, perspective ≤ 0.05, blur σ ≤ 2, noise σ ≤ 12, JPEG q25–60).
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, seed);

        var (d, m) = RenderAndDigitize(ecg, new PaperEcgRenderOptions { Augmentation = PaperEcgAugmentationOptions.Strong }, seed);

        Report($"strong augmentation (seed {seed})", d, m);
        m.Average(v => v.R).Should().BeGreaterThan(0.85);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(13)]
    [InlineData(21)]
    public void Digitize_RotatedPage_EstimatesTheRotation(int augmentationSeed)
    {
        // Rotation only (no perspective), so the true angle is the augmenter's: drawn first from its geometry stream.
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, 9);
        var augmentation = PaperEcgAugmentationOptions.Default with { RotationProbability = 1, PerspectiveProbability = 0 };
        var rng = new EcgVision.Imaging.Internal.Xoshiro256(unchecked(((long)augmentationSeed << 8) ^ (1 * 0x2545F4914F6CDD1DL)));
        _ = rng.NextDouble();
        double truth = rng.NextDouble(-1, 1) * augmentation.MaxRotationDegrees;

        var (d, m) = RenderAndDigitize(ecg, new PaperEcgRenderOptions { Augmentation = augmentation }, augmentationSeed);

        Report($"rotated {truth:0.###}°", d, m);
        Math.Abs(truth).Should().BeGreaterThan(0.3, "the seed must give a real rotation");
        d.RotationDegrees.Should().BeApproximately(truth, 0.3);
        m.Average(v => v.R).Should().BeGreaterThan(0.97);
    }

    [Theory]
    [InlineData(GridColorScheme.Red)]
    [InlineData(GridColorScheme.Pink)]
    [InlineData(GridColorScheme.Blue)]
    [InlineData(GridColorScheme.Green)]
    [InlineData(GridColorScheme.Brown)]
    [InlineData(GridColorScheme.BlackAndWhite)]
    public void Digitize_GridColorScheme_MatchesSource(GridColorScheme scheme)
    {
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, 9);

        var (d, m) = RenderAndDigitize(ecg, new PaperEcgRenderOptions { GridColors = scheme });

        Report($"grid {scheme}", d, m);
        d.PixelsPerMillimeter.Should().BeApproximately(200 / 25.4, 0.01);
        m.Average(v => v.R).Should().BeGreaterThan(0.97);
    }

    [Theory]
    [InlineData(50, 0.88)]
    [InlineData(100, 0.94)]
    [InlineData(150, 0.97)]
    [InlineData(300, 0.97)]
    public void Digitize_Resolution_MatchesSource(double dpi, double minMeanR)
    {
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, 9);

        var (d, m) = RenderAndDigitize(ecg, new PaperEcgRenderOptions { Dpi = dpi });

        Report($"{dpi} DPI", d, m);
        d.PixelsPerMillimeter.Should().BeApproximately(dpi / 25.4, dpi / 25.4 * 0.002);
        m.Average(v => v.R).Should().BeGreaterThan(minMeanR);
    }

    [Theory]
    [InlineData(PaperEcgLayout.ThreeByFour, false, 250)]
    [InlineData(PaperEcgLayout.SixByTwo, true, 500)]
    [InlineData(PaperEcgLayout.SixByTwo, false, 500)]
    [InlineData(PaperEcgLayout.TwelveByOne, false, 1000)]
    public void Digitize_OtherLayouts_MatchSource(PaperEcgLayout layout, bool rhythm, int cellSamples)
    {
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, 9);
        var digitizer = new PaperEcgDigitizer(new PaperEcgDigitizerOptions { Layout = layout, HasRhythmStrip = rhythm });

        var (d, m) = RenderAndDigitize(ecg, new PaperEcgRenderOptions { Layout = layout, ShowRhythmStrip = rhythm }, digitizer: digitizer);

        Report($"{layout}{(rhythm ? " + rhythm" : string.Empty)}", d, m);
        d.LeadWindows.Should().HaveCount(12);
        d.LeadWindows.Single(w => w.Lead == "V6").Should().Be(new DigitizedLeadWindow("V6", 1000 - cellSamples, 1000));
        d.LeadWindows.Single(w => w.Lead == "II").EndSampleExclusive.Should().Be(rhythm ? 1000 : cellSamples);
        m.Average(v => v.R).Should().BeGreaterThan(0.97);
    }

    [Fact]
    public void Digitize_PageWithFewerRowsThanTheLayout_Throws()
    {
        // A 3×4 + rhythm page has 4 trace rows; a 12×1 reading needs 12 and must not return wrong rows.
        PaperEcgImage page = new PaperEcgRenderer().Render(Synthetic(SyntheticCondition.Normal, 9).Record);

        Action act = () => new PaperEcgDigitizer(new PaperEcgDigitizerOptions { Layout = PaperEcgLayout.TwelveByOne }).Digitize(page);

        act.Should().Throw<EcgFormatException>().WithMessage("*<rendered page>*").WithMessage("*expected 12*12×1*");
    }

    [Fact]
    public void Digitize_PageWithoutGrid_ScalesFromTheTraceExtent()
    {
        // Erase the red grid (every clearly coloured pixel becomes paper): the scale must come from the 10-s trace extent. Without a
        // grid a calibration pulse cannot be told from the trace by its length, so this page has none (docs/digitization.md, limits).
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, 9);
        PaperEcgImage page = new PaperEcgRenderer(new PaperEcgRenderOptions { ShowCalibrationPulse = false }).Render(ecg.Record);
        byte[] rgba = page.Pixels.ToArray();
        for (int i = 0; i < rgba.Length; i += 4)
        {
            if (rgba[i] - Math.Min(rgba[i + 1], rgba[i + 2]) > 12)
            {
                rgba[i] = rgba[i + 1] = rgba[i + 2] = 255;
            }
        }

        var gridless = new PaperEcgImage(rgba, page.Width, page.Height, page.Dpi, page.LeadBoxes);

        PaperEcgDigitization d = s_digitizer.Digitize(gridless);

        var m = DigitizationMetrics.PerLead(d, ecg.Record);
        Report("no grid", d, m);
        d.Warnings.Should().Contain(w => w.Contains("No periodic grid", StringComparison.Ordinal));
        d.PixelsPerMillimeter.Should().BeApproximately(200 / 25.4, 200 / 25.4 * 0.01);
        d.Confidence.Should().BeLessThanOrEqualTo(0.8);
        m.Average(v => v.R).Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void Digitize_PrintoutImageSourceSetting_MatchesSource()
    {
        // PrintoutImageSource renders at 50 DPI without the header line and augments with FastAugmentation.
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, 9);
        var render = new PaperEcgRenderOptions { Dpi = 50, ShowHeader = false, Augmentation = PrintoutImageSource.FastAugmentation };

        var (d, m) = RenderAndDigitize(ecg, render, 17);

        Report("PrintoutImageSource setting (50 DPI, fast augmentation)", d, m);
        m.Average(v => v.R).Should().BeGreaterThan(0.87);
    }

    [Fact]
    public void Digitize_PngRoundTrip_MatchesDirectPage()
    {
        SyntheticEcg ecg = Synthetic(SyntheticCondition.Normal, 9);
        PaperEcgImage page = new PaperEcgRenderer().Render(ecg.Record);
        using var png = new MemoryStream(page.EncodePng());

        PaperEcgDigitization fromStream = s_digitizer.Digitize(png, "page.png");
        PaperEcgDigitization direct = s_digitizer.Digitize(page);

        fromStream.Record.Metadata.Source.Should().Be("digitized:page.png");
        fromStream.Record.ToArray().Should().Equal(direct.Record.ToArray());
    }

    // ECG-Image-Kit pages (PhysioNet Challenge 2024): a fixed subset from both source repositories, to keep the run short.
    private static readonly string[] s_kitImages =
    [
        "00001", "00002", "00004", "00005", "00029", "00044", "01017", "01019", "01022", "01024", "01028", "02132", "07189", "10429", "14647", "18155",
    ];

    [SharedDataFact("data/ptb-xl/images")]
    public void Digitize_EcgImageKitPages_MatchGroundTruth()
    {
        // Challenge 2024 style: read at the source's 500 Hz and compare with the 500-Hz WFDB record, each window aligned (±5 samples,
        // at its own time or at t = 0, see DigitizationMetrics.PerLeadAligned).
        var digitizer = new PaperEcgDigitizer(new PaperEcgDigitizerOptions { SamplingRate = 500 });
        var means = new List<double>();
        var snrs = new List<double>();
        foreach (string id in s_kitImages)
        {
            string png = SharedData.Get($"data/ptb-xl/images/{id}_hr-0.png");
            EcgRecord truth = WfdbReader.Read(SharedData.Get($"data/ptb-xl/records500/{id[..2]}000/{id}_hr.hea")[..^4]).ToStandardTwelveLead();

            PaperEcgDigitization d = digitizer.Digitize(png);

            var m = DigitizationMetrics.PerLeadAligned(d, truth, maxShift: 5);
            Report(id, d, m);
            d.PixelsPerMillimeter.Should().BeApproximately(200 / 25.4, 0.02, "ECG-Image-Kit pages are 200 DPI");
            means.Add(m.Average(v => v.R));
            snrs.Add(m.Average(v => v.Snr));
        }

        _output.WriteLine($"ECG-Image-Kit: mean r {means.Average():0.###}, mean SNR {snrs.Average():0.##} dB over {means.Count} pages");
        means.Average().Should().BeGreaterThan(0.97);
        snrs.Average().Should().BeGreaterThan(16);
        means.Min().Should().BeGreaterThan(0.95);
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
