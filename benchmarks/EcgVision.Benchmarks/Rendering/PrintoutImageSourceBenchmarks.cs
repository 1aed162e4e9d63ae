using BenchmarkDotNet.Attributes;
using EcgVision.Imaging.Rendering;
using EcgVision.Imaging.Tests;
using EcgVision.Signals;

namespace EcgVision.Benchmarks.Rendering;

/// <summary>Per-record cost of the printed-ECG training input: render at 50 DPI, augment, shrink to a [1, 64, 64] tensor, single thread.</summary>
/// <remarks>Target: ≤ 10–15 ms per record with <see cref="PrintoutAugmentation.Fast"/>, so a CPU demo can render ~2,000 training
/// printouts in well under its 3-minute budget on 2 cores (docs/printed-ecg.md).</remarks>
public class PrintoutImageSourceBenchmarks
{
    private EcgRecord _record = null!;
    private PrintoutImageSource _source = null!;
    private float[] _destination = null!;

    /// <summary>Augmentation preset.</summary>
    [Params(PrintoutAugmentation.Fast, PrintoutAugmentation.Default)]
    public PrintoutAugmentation Augmentation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _record = TestEcg.Sinus(rate: 500, seconds: 10);
        _source = new PrintoutImageSource(new PrintoutImageSourceOptions { Augmentation = Augmentation });
        _destination = new float[_source.ImageLength];
        _source.Encode(_record, _destination);
    }

    /// <summary>Query path: render + tensor, no augmentation.</summary>
    [Benchmark(Baseline = true)]
    public void EncodeClean() => _source.Encode(_record, _destination);

    /// <summary>Training path: render + augmentation (seed 3) + tensor.</summary>
    [Benchmark]
    public void EncodeAugmented() => _source.Encode(_record, _destination, 3);
}
