using EcgVision.Imaging.Rendering;

namespace EcgVision.Imaging.Tests;

public class SmokeTests
{
    [Fact]
    public void AssemblyLoads() => typeof(EcgVision.Signals.EcgRecord).Should().NotBeNull();

    [Fact]
    public void Render_WritesSamplesForInspection()
    {
        string? dir = Environment.GetEnvironmentVariable("ECGVISION_RENDER_OUT");
        if (dir is null)
        {
            return;
        }

        var rec = TestEcg.Sinus();
        new PaperEcgRenderer().Render(rec).SavePng(Path.Combine(dir, "clean.png"));
        new PaperEcgRenderer(new() { Augmentation = PaperEcgAugmentationOptions.Strong }).Render(rec, 7).SavePng(Path.Combine(dir, "strong.png"));
        new PaperEcgRenderer(new() { Augmentation = PaperEcgAugmentationOptions.Default }).Render(rec, 3).SavePng(Path.Combine(dir, "default.png"));
        new PaperEcgRenderer(new() { Layout = PaperEcgLayout.SixByTwo, GridColors = GridColorScheme.Blue, Paper = PaperSize.A4Landscape }).Render(rec).SavePng(Path.Combine(dir, "sixbytwo.png"));
        new PaperEcgRenderer(new() { Layout = PaperEcgLayout.TwelveByOne, GainMillimetersPerMillivolt = 5, GridColors = GridColorScheme.Pink }).Render(rec).SavePng(Path.Combine(dir, "twelve.png"));
        new PaperEcgRenderer(new() { Dpi = 100, GridColors = GridColorScheme.BlackAndWhite }).Render(TestEcg.Sinus(100, 7)).SavePng(Path.Combine(dir, "bw100.png"));
    }
}
