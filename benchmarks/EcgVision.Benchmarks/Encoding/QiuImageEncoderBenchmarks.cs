using BenchmarkDotNet.Attributes;
using EcgVision.Encoding;

namespace EcgVision.Benchmarks.Encoding;

/// <summary>The Qiu preset's image part: 12 beats of 100 samples → GASF + RP + 4-bin MTF at 100 px, tiled 3 × 4, resized to 3 × 224 × 224.</summary>
[MemoryDiagnoser]
[MinColumn]
public class QiuImageEncoderBenchmarks
{
    private float[] _beats = [];
    private float[] _image = [];
    private float[] _batchImages = [];
    private float[] _batchBeats = [];
    private QiuImageEncoder _encoder = null!;
    private MultiLeadImageComposer _composer = null!;
    private float[] _record = [];
    private float[] _composed = [];

    [GlobalSetup]
    public void Setup()
    {
        _record = EncodingBenchmarkData.TwelveLeadRecord();
        _beats = new float[12 * 100];
        for (int l = 0; l < 12; l++)
        {
            _record.AsSpan(l * 1000 + 200, 100).CopyTo(_beats.AsSpan(l * 100, 100)); // R peak of the first beat at sample 230
        }

        _encoder = new QiuImageEncoder();
        _image = new float[_encoder.OutputLength];
        _batchBeats = Enumerable.Range(0, 64).SelectMany(_ => _beats).ToArray();
        _batchImages = new float[64 * _encoder.OutputLength];
        _composer = new MultiLeadImageComposer(new() { ImageSize = 64, OutputSize = 224 });
        _composed = new float[_composer.GetOutputLength(12, 1000)];
    }

    /// <summary>One beat set, single thread.</summary>
    [Benchmark(Baseline = true)]
    public void EncodeBeats() => _encoder.EncodeBeats(_beats, _image);

    /// <summary>The paper layout from a whole 10-s record (12 × 1000 samples, 64-px tiles by PAA, resized to 224), single thread.</summary>
    [Benchmark]
    public void ComposeWholeRecord() => _composer.Encode(_record, 12, _composed);

    /// <summary>64 beat sets on all cores, per beat set (divide by 64).</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public void EncodeBeatsBatchAllCores() => _encoder.EncodeBeatsBatch(_batchBeats, _batchImages);
}
