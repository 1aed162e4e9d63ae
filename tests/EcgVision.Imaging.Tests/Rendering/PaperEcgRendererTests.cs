using System.Text.Json;
using EcgVision.Imaging.Internal;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;
using EcgVision.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EcgVision.Imaging.Tests.Rendering;

public class PaperEcgRendererTests
{
    private const double PxPerMm200 = 200 / 25.4;

    private static readonly PaperEcgRenderOptions Bare = new()
    {
        ShowHeader = false,
        ShowLeadLabels = false,
        ShowCalibrationPulse = false,
        ShowLeadSeparators = false,
    };

    [Fact]
    public void Render_DefaultOptions_IsLetterAt200Dpi()
    {
        var image = new PaperEcgRenderer().Render(TestEcg.Sinus(rate: 100));

        image.Width.Should().Be(2200);
        image.Height.Should().Be(1700);
        image.Pixels.Length.Should().Be(2200 * 1700 * 4);
    }

    [Fact]
    public void Render_A4At200Dpi_Is2339By1654()
    {
        var renderer = new PaperEcgRenderer(new() { Paper = PaperSize.A4Landscape });

        renderer.Width.Should().Be(2339);
        renderer.Height.Should().Be(1654);
        renderer.Render(TestEcg.Sinus(rate: 100)).Width.Should().Be(2339);
    }

    [Fact]
    public void Render_SquareWaveInLeadII_LandsOnGridWithinOnePixel()
    {
        // Lead II is 1 mV for samples 500..699 (t = 1.0 s to 1.4 s at 500 Hz), 0 elsewhere.
        var record = TestEcg.OnlyLead("II", t => t >= 1.0 - 1e-9 && t < 1.4 - 1e-9 ? 1.0 : 0.0);
        var renderer = new PaperEcgRenderer(Bare);
        var plan = renderer.Plan;
        var image = renderer.Render(record);
        int row = plan.RowCount - 1; // the rhythm strip shows 0–10 s of lead II
        double baselinePx = plan.Baselines[row] * PxPerMm200;
        int bandTop = (int)(baselinePx - 12 * PxPerMm200), bandBottom = (int)(baselinePx + 2 * PxPerMm200);

        double riseExpected = plan.XForTime(1.0) * PxPerMm200;
        double fallExpected = plan.XForTime(1.399) * PxPerMm200;
        double rise = PixelProbe.VerticalLineCentre(image, (int)riseExpected - 6, (int)riseExpected + 6, bandTop, bandBottom, 40);
        double fall = PixelProbe.VerticalLineCentre(image, (int)fallExpected - 6, (int)fallExpected + 6, bandTop, bandBottom, 40);

        rise.Should().BeApproximately(riseExpected, 1.0);
        fall.Should().BeApproximately(fallExpected, 1.0);
        (fall - rise).Should().BeApproximately(0.4 * 25 * PxPerMm200, 1.0, "0.4 s at 25 mm/s is 10 mm = 78.74 px");

        // 25 mm/s: 1 s after t = 0 is five major squares, so the rising edge sits on a major grid line.
        double gridLine = MajorGridLineCentre(image, (int)riseExpected - 6, (int)riseExpected + 6, y: image.Height - 3);
        rise.Should().BeApproximately(gridLine, 1.0);

        // 10 mm/mV: the top of the pulse is 78.74 px above the baseline, and the baseline is where the layout puts it.
        int mid = (int)((rise + fall) / 2);
        int flat = (int)(plan.XForTime(3.0) * PxPerMm200);
        double top = PixelProbe.InkCentreY(image, mid, bandTop, bandBottom);
        double baseline = PixelProbe.InkCentreY(image, flat, bandTop, bandBottom);
        baseline.Should().BeApproximately(baselinePx, 1.0);
        (baseline - top).Should().BeApproximately(10 * PxPerMm200, 1.0, "1 mV at 10 mm/mV is 78.74 px");
    }

    [Theory]
    [InlineData(50, 10, 200, 560)]
    [InlineData(25, 20, 300, 279.4)]
    [InlineData(25, 5, 100, 279.4)]
    [InlineData(12.5, 10, 150, 279.4)]
    public void Render_SquareWave_ScalesWithSpeedGainAndDpi(double speed, double gain, double dpi, double paperWidth)
    {
        var record = TestEcg.OnlyLead("II", t => t >= 1.0 - 1e-9 && t < 1.4 - 1e-9 ? 1.0 : 0.0);
        var renderer = new PaperEcgRenderer(Bare with
        {
            SpeedMillimetersPerSecond = speed,
            GainMillimetersPerMillivolt = gain,
            Dpi = dpi,
            Paper = new PaperSize(paperWidth, 215.9),
        });
        var plan = renderer.Plan;
        var image = renderer.Render(record);
        double k = dpi / 25.4;
        double baselinePx = plan.Baselines[^1] * k;
        int bandTop = (int)(baselinePx - (gain + 2) * k), bandBottom = (int)(baselinePx + 2 * k);
        int minInk = (int)(0.5 * gain * k);

        double riseExpected = plan.XForTime(1.0) * k, fallExpected = plan.XForTime(1.399) * k;
        double rise = PixelProbe.VerticalLineCentre(image, (int)riseExpected - 4, (int)riseExpected + 5, bandTop, bandBottom, minInk);
        double fall = PixelProbe.VerticalLineCentre(image, (int)fallExpected - 4, (int)fallExpected + 5, bandTop, bandBottom, minInk);
        double top = PixelProbe.InkCentreY(image, (int)((rise + fall) / 2), bandTop, bandBottom);
        double baseline = PixelProbe.InkCentreY(image, (int)(plan.XForTime(3.0) * k), bandTop, bandBottom);

        rise.Should().BeApproximately(riseExpected, 1.0);
        (fall - rise).Should().BeApproximately(0.399 * speed * k, 1.0);
        (baseline - top).Should().BeApproximately(gain * k, 1.0);
        baseline.Should().BeApproximately(baselinePx, 1.0);
    }

    [Fact]
    public void Render_CalibrationPulse_Is0Point2SecondsBy1Millivolt()
    {
        var renderer = new PaperEcgRenderer(Bare with { ShowCalibrationPulse = true });
        var plan = renderer.Plan;
        var image = renderer.Render(TestEcg.OnlyLead("I", _ => 0));
        double baselinePx = plan.Baselines[0] * PxPerMm200;
        int bandTop = (int)(baselinePx - 12 * PxPerMm200), bandBottom = (int)(baselinePx + 2 * PxPerMm200);
        int x0 = (int)(plan.CalibrationStartX * PxPerMm200), x1 = (int)(plan.TraceOriginX * PxPerMm200);
        int split = (int)((plan.CalibrationStartX + PaperEcgLayoutPlan.CalibrationLeadInMm + plan.CalibrationWidthMm / 2) * PxPerMm200);

        double rise = PixelProbe.VerticalLineCentre(image, x0, split, bandTop, bandBottom, 40);
        double fall = PixelProbe.VerticalLineCentre(image, split, x1, bandTop, bandBottom, 40);
        double top = PixelProbe.InkCentreY(image, split, bandTop, bandBottom);
        double baseline = PixelProbe.InkCentreY(image, x0 + 2, bandTop, bandBottom);

        (fall - rise).Should().BeApproximately(5 * PxPerMm200, 1.0, "0.2 s at 25 mm/s is 5 mm = 39.37 px");
        (baseline - top).Should().BeApproximately(10 * PxPerMm200, 1.0, "1 mV at 10 mm/mV is 78.74 px");
    }

    public static TheoryData<string> TwelveLeads => new(StandardLeads.TwelveLead);

    [Theory]
    [MemberData(nameof(TwelveLeads))]
    public void Render_OnlyOneLeadNonZero_InkOffBaselineOnlyInItsCell(string lead)
    {
        var record = TestEcg.OnlyLead(lead, t => 0.8 * Math.Sin(2 * Math.PI * 2 * t));
        var renderer = new PaperEcgRenderer(Bare);
        var plan = renderer.Plan;
        var image = renderer.Render(record);
        var cells = plan.Segments.Where(s => s.Lead == lead).ToList();
        int inside = 0;
        for (int y = 0; y < image.Height; y++)
        {
            double nearestBaseline = plan.Baselines.Min(b => Math.Abs(b * PxPerMm200 - (y + 0.5)));
            if (nearestBaseline <= 5)
            {
                continue; // the flat zero traces of the other leads
            }

            for (int x = 0; x < image.Width; x++)
            {
                if (!PixelProbe.IsInk(image, x, y))
                {
                    continue;
                }

                bool inCell = cells.Any(s =>
                    x + 0.5 >= plan.XForTime(s.StartSeconds) * PxPerMm200 - 3 && x + 0.5 <= plan.XForTime(s.EndSeconds) * PxPerMm200 + 3
                    && Math.Abs(y + 0.5 - plan.Baselines[s.Row] * PxPerMm200) <= 8 * PxPerMm200 + 3);
                inCell.Should().BeTrue($"ink at ({x}, {y}) lies outside the cell(s) of {lead}");
                inside++;
            }
        }

        inside.Should().BeGreaterThan(500, $"lead {lead} must be drawn in its cell");
    }

    [Fact]
    public void Render_SameSeed_GivesIdenticalPngBytes()
    {
        var record = TestEcg.Sinus(rate: 250);
        var options = new PaperEcgRenderOptions { Dpi = 100, Augmentation = PaperEcgAugmentationOptions.Strong };

        byte[] a = new PaperEcgRenderer(options).Render(record, seed: 42).EncodePng();
        byte[] b = new PaperEcgRenderer(options).Render(record, seed: 42).EncodePng();
        byte[] c = new PaperEcgRenderer(options).Render(record, seed: 43).EncodePng();

        a.Should().Equal(b);
        c.Should().NotEqual(a);
    }

    [Fact]
    public void Render_WithoutAugmentation_IsDeterministic()
    {
        var record = TestEcg.Sinus(rate: 250);
        var renderer = new PaperEcgRenderer(new() { Dpi = 100 });

        renderer.Render(record).Pixels.SequenceEqual(renderer.Render(record, seed: 99).Pixels).Should().BeTrue("without augmentation the seed is ignored");
    }

    [Fact]
    public void Render_ConcurrentCallsOnOneRenderer_GiveIdenticalPages()
    {
        var record = TestEcg.Sinus(rate: 100);
        var renderer = new PaperEcgRenderer(new() { Dpi = 50, Augmentation = PaperEcgAugmentationOptions.Strong });

        var pages = new PaperEcgImage[4];
        Parallel.For(0, pages.Length, i => pages[i] = renderer.Render(record, seed: 9));

        foreach (var page in pages)
        {
            page.Pixels.SequenceEqual(pages[0].Pixels).Should().BeTrue();
        }
    }

    [Fact]
    public void Render_ColorPresets_AllDiffer()
    {
        var record = TestEcg.Sinus(rate: 100);
        var hashes = Enum.GetValues<GridColorScheme>()
            .Select(s => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(new PaperEcgRenderer(new() { Dpi = 50, GridColors = s }).Render(record).Pixels)))
            .ToList();

        hashes.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Render_ShortRecord_DrawsOnlyWhatExists()
    {
        var record = TestEcg.Sinus(rate: 500, seconds: 4);
        var image = new PaperEcgRenderer().Render(record);

        image.LeadBoxes.Select(b => b.Lead).Should().BeEquivalentTo(["I", "II", "III", "aVR", "aVL", "aVF", "II"]);
        image.LeadBoxes.Single(b => b.IsRhythmStrip).Width.Should().BeLessThan(image.Width / 2);
    }

    [Fact]
    public void Render_NaNSamples_LeaveAGap()
    {
        var record = TestEcg.OnlyLead("II", t => t is > 1.0 and < 2.0 ? double.NaN : 0.0);
        var renderer = new PaperEcgRenderer(Bare);
        var plan = renderer.Plan;
        var image = renderer.Render(record);
        int row = plan.RowCount - 1;
        int y0 = (int)(plan.Baselines[row] * PxPerMm200) - 5, y1 = y0 + 10;

        PixelProbe.InkInColumn(image, (int)(plan.XForTime(1.5) * PxPerMm200), y0, y1).Should().Be(0);
        PixelProbe.InkInColumn(image, (int)(plan.XForTime(0.5) * PxPerMm200), y0, y1).Should().BeGreaterThan(0);
        PixelProbe.InkInColumn(image, (int)(plan.XForTime(2.5) * PxPerMm200), y0, y1).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Render_AnySamplingRate_PutsBeatsAtTheSamePlaces()
    {
        var renderer = new PaperEcgRenderer(new() { Dpi = 100 });
        var at100 = renderer.Render(TestEcg.Sinus(rate: 100));
        var at500 = renderer.Render(TestEcg.Sinus(rate: 500));

        var boxes100 = at100.LeadBoxes.Select(b => (b.Lead, b.X, b.Y)).ToList();
        var boxes500 = at500.LeadBoxes.Select(b => (b.Lead, b.X, b.Y)).ToList();
        boxes100.Select(b => b.Lead).Should().Equal(boxes500.Select(b => b.Lead));
        for (int i = 0; i < boxes100.Count; i++)
        {
            boxes100[i].X.Should().BeCloseTo(boxes500[i].X, 2);
            boxes100[i].Y.Should().BeCloseTo(boxes500[i].Y, 4, "the 100 Hz record samples the R peak less finely");
        }
    }

    [Fact]
    public void Render_LeadsInAnyOrderAndSpelling_AreFoundByName()
    {
        var standard = TestEcg.Sinus(rate: 100);
        string[] shuffled = ["V6", "AVR", "i", "II", "III", "avl", "aVF", "V1", "V2", "V3", "V4", "V5"];
        var reordered = new EcgRecord(standard.SelectLeads(shuffled).Samples, 100, shuffled, standard.Metadata);
        var renderer = new PaperEcgRenderer(new() { Dpi = 50 });

        renderer.Render(reordered).Pixels.SequenceEqual(renderer.Render(standard).Pixels).Should().BeTrue();
    }

    [Fact]
    public void Render_MissingLead_ThrowsNamingIt()
    {
        var record = TestEcg.Sinus(rate: 100).SelectLeads("I", "II", "III");

        var act = () => new PaperEcgRenderer().Render(record);

        act.Should().Throw<KeyNotFoundException>().WithMessage("*aVR*");
    }

    [Fact]
    public void LeadBoxes_DefaultLayout_ThirteenBoxesInsideTheImageAndJsonSerialisable()
    {
        var image = new PaperEcgRenderer().Render(TestEcg.Sinus());

        image.LeadBoxes.Should().HaveCount(13);
        image.LeadBoxes.Take(12).Select(b => b.Lead).Should().Equal("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6");
        image.LeadBoxes.Should().OnlyContain(b => b.X >= 0 && b.Y >= 0 && b.X + b.Width <= image.Width && b.Y + b.Height <= image.Height);
        image.LeadBoxes[^1].IsRhythmStrip.Should().BeTrue();
        image.LeadBoxes[^1].Width.Should().BeCloseTo((int)(250 * PxPerMm200), 4);

        string json = JsonSerializer.Serialize(image.LeadBoxes);
        JsonSerializer.Deserialize<List<LeadBoundingBox>>(json).Should().Equal(image.LeadBoxes);
    }

    [Fact]
    public void SaveLeadBoxesJson_WritesTheBoxes()
    {
        var image = new PaperEcgRenderer(new() { Dpi = 50 }).Render(TestEcg.Sinus(rate: 100));
        string path = Path.Combine(Path.GetTempPath(), $"ecgvision-boxes-{Guid.NewGuid():N}.json");
        try
        {
            image.SaveLeadBoxesJson(path);

            JsonSerializer.Deserialize<List<LeadBoundingBox>>(File.ReadAllText(path)).Should().Equal(image.LeadBoxes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LeadBoxes_ContainAllInkOfTheirLead()
    {
        var record = TestEcg.OnlyLead("V2", t => 1.5 * Math.Sin(2 * Math.PI * t));
        var image = new PaperEcgRenderer(Bare).Render(record);
        var box = image.LeadBoxes.Single(b => b.Lead == "V2");

        box.Height.Should().BeCloseTo((int)(30 * PxPerMm200), 6, "±1.5 mV at 10 mm/mV spans 30 mm");
        PixelProbe.InkInColumn(image, box.X + box.Width / 2, box.Y, box.Y + box.Height).Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData(PaperEcgLayout.SixByTwo, 13)]
    [InlineData(PaperEcgLayout.TwelveByOne, 12)]
    public void Render_OtherLayouts_PlotEveryLead(PaperEcgLayout layout, int boxes)
    {
        var image = new PaperEcgRenderer(new() { Layout = layout, Dpi = 100 }).Render(TestEcg.Sinus(rate: 100));

        image.LeadBoxes.Should().HaveCount(boxes);
        image.LeadBoxes.Select(b => b.Lead).Distinct().Should().HaveCount(12);
    }

    [Fact]
    public void BuildHeader_UsesMetadataSpeedAndGain()
    {
        var record = TestEcg.Sinus(rate: 100, metadata: new EcgMetadata { Id = "00001", Age = 56, Sex = Sex.Female });

        PaperEcgRenderer.BuildHeader(record, new PaperEcgRenderOptions())
            .Should().Be("ID: 00001    Age: 56    Sex: F    25 mm/s    10 mm/mV    100 Hz");
    }

    [Fact]
    public void EmbeddedFont_IsDejaVuSans()
    {
        EmbeddedFont.DejaVuSans.FamilyName.Should().Be("DejaVu Sans");
    }

    public static TheoryData<PaperEcgRenderOptions> InvalidOptions => new()
    {
        new PaperEcgRenderOptions { Dpi = 10 },
        new PaperEcgRenderOptions { Dpi = double.NaN },
        new PaperEcgRenderOptions { GainMillimetersPerMillivolt = 0 },
        new PaperEcgRenderOptions { SpeedMillimetersPerSecond = 1 },
        new PaperEcgRenderOptions { TraceWidthMillimeters = 0 },
        new PaperEcgRenderOptions { Paper = new PaperSize(0, 100) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_OutOfRangeOption_Throws(PaperEcgRenderOptions options)
    {
        var act = () => new PaperEcgRenderer(options);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*must be between*");
    }

    [Fact]
    public void Constructor_SpeedTooFastForPaper_ThrowsNamingWidth()
    {
        var act = () => new PaperEcgRenderer(new() { SpeedMillimetersPerSecond = 50 });

        act.Should().Throw<ArgumentException>().WithMessage("*Paper width must hold 10 s at 50 mm/s*279.4 mm*");
    }

    [Fact]
    public void Constructor_UnknownRhythmLead_Throws()
    {
        var act = () => new PaperEcgRenderer(new() { RhythmLead = "V7" });

        act.Should().Throw<ArgumentException>().WithMessage("*RhythmLead*V7*");
    }

    [Fact]
    public void Constructor_UndefinedLayout_ThrowsNotSupported()
    {
        var act = () => new PaperEcgRenderer(new() { Layout = (PaperEcgLayout)42 });

        act.Should().Throw<NotSupportedException>().WithMessage("*42*");
    }

    [Fact]
    public void RenderPng_Path_WritesAPngOfTheRightSize()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ecgvision-render-{Guid.NewGuid():N}.png");
        try
        {
            var boxes = PaperEcgRenderer.RenderPng(TestEcg.Sinus(rate: 100), new() { Dpi = 100 }, path);

            boxes.Should().HaveCount(13);
            var info = Image.Identify(path);
            (info.Width, info.Height).Should().Be((1100, 850));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Committed reference rendering (50 DPI, 550 × 425), compared like ImageSharp's TolerantPercentage:
    /// at most 0.5 % of pixels may differ by more than 24 levels in some channel. Set ECGVISION_UPDATE_REFERENCES=1 to rewrite it.</summary>
    [Fact]
    public void Render_MatchesCommittedReferencePng()
    {
        string reference = Path.Combine(SharedData.RepositoryRoot, "tests", "EcgVision.Imaging.Tests", "Rendering", "References", "sinus-3x4-50dpi.png");
        var image = new PaperEcgRenderer(new() { Dpi = 50 }).Render(TestEcg.Sinus(rate: 500));
        if (Environment.GetEnvironmentVariable("ECGVISION_UPDATE_REFERENCES") == "1")
        {
            image.SavePng(reference);
        }

        using var expected = Image.Load<Rgb24>(reference);
        (expected.Width, expected.Height).Should().Be((image.Width, image.Height));
        var pixels = new Rgb24[expected.Width * expected.Height];
        expected.CopyPixelDataTo(pixels);
        int differing = 0;
        ReadOnlySpan<byte> actual = image.Pixels;
        for (int i = 0; i < pixels.Length; i++)
        {
            int d = Math.Max(Math.Abs(pixels[i].R - actual[i * 4]), Math.Max(Math.Abs(pixels[i].G - actual[i * 4 + 1]), Math.Abs(pixels[i].B - actual[i * 4 + 2])));
            differing += d > 24 ? 1 : 0;
        }

        ((double)differing / pixels.Length).Should().BeLessThanOrEqualTo(0.005);
    }

    [Fact]
    public void Render_DiffersFromReferenceWhenGainChanges()
    {
        // Guards the tolerance of the reference comparison: a real change must exceed it.
        var a = new PaperEcgRenderer(new() { Dpi = 50 }).Render(TestEcg.Sinus(rate: 500));
        var b = new PaperEcgRenderer(new() { Dpi = 50, GainMillimetersPerMillivolt = 20 }).Render(TestEcg.Sinus(rate: 500));
        int differing = 0;
        for (int i = 0; i < a.Pixels.Length; i += 4)
        {
            differing += Math.Abs(a.Pixels[i] - b.Pixels[i]) > 24 || Math.Abs(a.Pixels[i + 1] - b.Pixels[i + 1]) > 24 ? 1 : 0;
        }

        ((double)differing / (a.Width * a.Height)).Should().BeGreaterThan(0.005);
    }

    private static double MajorGridLineCentre(PaperEcgImage image, int x0, int x1, int y)
    {
        // Major lines of the red preset are (228, 90, 90); minor ones (248, 190, 190) have G above 150.
        double sum = 0, weight = 0;
        for (int x = x0; x < x1; x++)
        {
            int o = (y * image.Width + x) * 4;
            int redness = image.Pixels[o] - image.Pixels[o + 1];
            if (redness > 70)
            {
                sum += (x + 0.5) * redness;
                weight += redness;
            }
        }

        weight.Should().BeGreaterThan(0, "a major grid line was expected");
        return sum / weight;
    }
}
