using BenchmarkDotNet.Attributes;
using EcgVision.Imaging.Digitization;
using EcgVision.Imaging.Rendering;
using EcgVision.Imaging.Tests;

namespace EcgVision.Benchmarks.Digitization;

/// <summary>Digitising one 200-DPI US-letter page (2200 × 1700 px, 3×4 + rhythm strip) back to a 12-lead, 100 Hz record, single thread.</summary>
/// <remarks>Target: well under a second per page (docs/digitization.md). <see cref="DigitizePng"/> adds PNG decoding behind the loader's limits.</remarks>
public class PaperEcgDigitizerBenchmarks
{
    private PaperEcgDigitizer _digitizer = null!;
    private PaperEcgImage _clean = null!;
    private PaperEcgImage _augmented = null!;
    private byte[] _png = null!;

    [GlobalSetup]
    public void Setup()
    {
        var record = TestEcg.Sinus(rate: 500, seconds: 10);
        _digitizer = new PaperEcgDigitizer();
        _clean = new PaperEcgRenderer().Render(record);
        _augmented = new PaperEcgRenderer(new() { Augmentation = PaperEcgAugmentationOptions.Default }).Render(record, seed: 16);
        _png = _clean.EncodePng();
    }

    /// <summary>A clean rendered page, passed as pixels.</summary>
    [Benchmark(Baseline = true)]
    public PaperEcgDigitization DigitizeClean() => _digitizer.Digitize(_clean);

    /// <summary>A page with the default photo augmentation (seed 16: rotation −2.3°, lighting, blur, noise): adds the deskew resampling.</summary>
    [Benchmark]
    public PaperEcgDigitization DigitizeAugmented() => _digitizer.Digitize(_augmented);

    /// <summary>The clean page as PNG bytes: decoding plus digitising.</summary>
    [Benchmark]
    public PaperEcgDigitization DigitizePng()
    {
        using var stream = new MemoryStream(_png, writable: false);
        return _digitizer.Digitize(stream, "page.png");
    }
}
