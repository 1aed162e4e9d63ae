using BenchmarkDotNet.Attributes;
using EcgVision.Encoding;

namespace EcgVision.Benchmarks.Encoding;

/// <summary>Unthresholded recurrence plots (m = 1) of a 12-lead, 10-s, 100 Hz record at the full 1000 px, single thread (pyts: 507 ms).</summary>
[MemoryDiagnoser]
[MinColumn]
public class RecurrencePlotBenchmarks
{
    private float[] _record = [];
    private float[] _images = [];
    private RecurrencePlotEncoder _encoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _record = EncodingBenchmarkData.TwelveLeadRecord();
        int n = EncodingBenchmarkData.Samples;
        _images = new float[EncodingBenchmarkData.Leads * n * n];
        _encoder = new RecurrencePlotEncoder();
    }

    /// <summary>Baseline: |xᵢ − xⱼ| pixel by pixel.</summary>
    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        int n = EncodingBenchmarkData.Samples;
        for (int l = 0; l < EncodingBenchmarkData.Leads; l++)
        {
            var x = _record.AsSpan(l * n, n);
            var image = _images.AsSpan(l * n * n, n * n);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++) image[i * n + j] = MathF.Abs(x[i] - x[j]);
            }
        }
    }

    /// <summary>The library: Vector256 rows.</summary>
    [Benchmark]
    public void TensorPrimitives()
    {
        int n = EncodingBenchmarkData.Samples;
        for (int l = 0; l < EncodingBenchmarkData.Leads; l++)
        {
            _encoder.Encode(_record.AsSpan(l * n, n), _images.AsSpan(l * n * n, n * n));
        }
    }
}
