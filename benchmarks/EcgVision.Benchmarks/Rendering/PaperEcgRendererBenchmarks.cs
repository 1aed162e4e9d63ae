using BenchmarkDotNet.Attributes;
using EcgVision.Imaging.Io;
using EcgVision.Imaging.Rendering;
using EcgVision.Imaging.Tests;
using EcgVision.Signals;

namespace EcgVision.Benchmarks.Rendering;

/// <summary>Paper-ECG rendering of a 10-s, 12-lead, 500 Hz record on US letter at 200 DPI (2200 × 1700 px), single thread.</summary>
/// <remarks>Target: <see cref="RenderClean"/> ≤ 60 ms. PNG encoding and tensor conversion are measured separately.</remarks>
public class PaperEcgRendererBenchmarks
{
    private EcgRecord _record = null!;
    private PaperEcgRenderer _clean = null!;
    private PaperEcgRenderer _default = null!;
    private PaperEcgRenderer _strong = null!;
    private PaperEcgImage _rendered = null!;

    [GlobalSetup]
    public void Setup()
    {
        _record = TestEcg.Sinus(rate: 500, seconds: 10);
        _clean = new PaperEcgRenderer();
        _default = new PaperEcgRenderer(new() { Augmentation = PaperEcgAugmentationOptions.Default });
        _strong = new PaperEcgRenderer(new() { Augmentation = PaperEcgAugmentationOptions.Strong });
        _rendered = _clean.Render(_record);
    }

    /// <summary>Grid, pulses, labels and 13 traces, no augmentation.</summary>
    [Benchmark(Baseline = true)]
    public PaperEcgImage RenderClean() => _clean.Render(_record);

    /// <summary>Rendering plus the default augmentation (each effect on with its default probability; seed 3).</summary>
    [Benchmark]
    public PaperEcgImage RenderAugmentedDefault() => _default.Render(_record, seed: 3);

    /// <summary>Rendering plus every effect at once (rotation, perspective, creases, lighting, blur, noise, JPEG).</summary>
    [Benchmark]
    public PaperEcgImage RenderAugmentedStrong() => _strong.Render(_record, seed: 3);

    /// <summary>PNG encoding of one rendered page (ImageSharp, 8-bit RGB, default compression).</summary>
    [Benchmark]
    public byte[] EncodePng() => _rendered.EncodePng();

    /// <summary>Rendered page to a [3, 224, 224] tensor (bilinear resize, [0, 1]).</summary>
    [Benchmark]
    public ImageTensor ToTensor224() => EcgImageLoader.FromRendered(_rendered);
}
