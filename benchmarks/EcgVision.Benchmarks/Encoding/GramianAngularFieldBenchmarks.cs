using BenchmarkDotNet.Attributes;
using EcgVision.Encoding;

namespace EcgVision.Benchmarks.Encoding;

/// <summary>GASF / GADF of a 12-lead, 10-s, 100 Hz record at 224 px per lead, single thread (pyts: GASF 6.6 ms, GADF 6.0 ms).</summary>
[MemoryDiagnoser]
[MinColumn]
public class GramianAngularFieldBenchmarks
{
    private float[] _record = [];
    private float[] _images = [];
    private GramianAngularFieldEncoder _encoder = null!;

    [Params(GramianAngularFieldMethod.Summation, GramianAngularFieldMethod.Difference)]
    public GramianAngularFieldMethod Method { get; set; }

    [Params(224)]
    public int ImageSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _record = EncodingBenchmarkData.TwelveLeadRecord();
        _images = new float[EncodingBenchmarkData.Leads * ImageSize * ImageSize];
        _encoder = new GramianAngularFieldEncoder(new() { ImageSize = ImageSize, Method = Method });
    }

    /// <summary>Baseline: PAA, then the field through the angles, one arccos per sample and one cos/sin per pixel.</summary>
    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        int n = EncodingBenchmarkData.Samples, s = ImageSize;
        var phi = new double[s];
        for (int l = 0; l < EncodingBenchmarkData.Leads; l++)
        {
            var lead = _record.AsSpan(l * n, n);
            var paa = new PiecewiseAggregateApproximation(new() { OutputSize = s }).Transform(lead);
            float min = paa.Min(), max = paa.Max();
            for (int i = 0; i < s; i++)
            {
                phi[i] = Math.Acos(Math.Clamp(2.0 * (paa[i] - min) / (max - min) - 1, -1, 1));
            }

            var image = _images.AsSpan(l * s * s, s * s);
            for (int i = 0; i < s; i++)
            {
                for (int j = 0; j < s; j++)
                {
                    image[i * s + j] = (float)(Method == GramianAngularFieldMethod.Summation ? Math.Cos(phi[i] + phi[j]) : Math.Sin(phi[i] - phi[j]));
                }
            }
        }
    }

    /// <summary>The library: PAA, then SIMD outer products of cos/sin (Vector256).</summary>
    [Benchmark]
    public void TensorPrimitives()
    {
        int n = EncodingBenchmarkData.Samples, s = ImageSize;
        for (int l = 0; l < EncodingBenchmarkData.Leads; l++)
        {
            _encoder.Encode(_record.AsSpan(l * n, n), _images.AsSpan(l * s * s, s * s));
        }
    }
}
