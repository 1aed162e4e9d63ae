using EcgVision.Imaging.Rendering;

namespace EcgVision.Imaging.Tests;

public class SmokeTests
{
    [Fact]
    public void AssemblyLoads() => typeof(EcgVision.Signals.EcgRecord).Should().NotBeNull();

    /// <summary>Writes the pages used for visual review (clean, augmented, every layout) to $ECGVISION_RENDER_OUT; a no-op otherwise.</summary>
    [Fact]
    public void Render_InspectionPages_AreWrittenWhenOutputFolderIsSet()
    {
        string? dir = Environment.GetEnvironmentVariable("ECGVISION_RENDER_OUT");
        if (dir is null)
        {
            return;
        }

        var rec = TestEcg.Sinus();
        var pages = new (string Name, PaperEcgRenderOptions Options, EcgVision.Signals.EcgRecord Record, int Seed)[]
        {
            ("clean", new(), rec, 0),
            ("strong", new() { Augmentation = PaperEcgAugmentationOptions.Strong }, rec, 7),
            ("default", new() { Augmentation = PaperEcgAugmentationOptions.Default }, rec, 3),
            ("sixbytwo", new() { Layout = PaperEcgLayout.SixByTwo, GridColors = GridColorScheme.Blue, Paper = PaperSize.A4Landscape }, rec, 0),
            ("twelve", new() { Layout = PaperEcgLayout.TwelveByOne, GainMillimetersPerMillivolt = 5, GridColors = GridColorScheme.Pink }, rec, 0),
            ("bw100", new() { Dpi = 100, GridColors = GridColorScheme.BlackAndWhite }, TestEcg.Sinus(100, 7), 0),
        };
        foreach (var (name, options, record, seed) in pages)
        {
            string path = Path.Combine(dir, name + ".png");
            new PaperEcgRenderer(options).Render(record, seed).SavePng(path);
            File.Exists(path).Should().BeTrue();
        }
    }
}
