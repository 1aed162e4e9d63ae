using BenchmarkDotNet.Attributes;
using EcgVision.Encoding;

namespace EcgVision.Benchmarks.Encoding;

/// <summary>MTF (8 quantile bins, pyts's default in its examples) of a 12-lead, 10-s, 100 Hz record at 224 px, single thread (pyts: 478 ms).</summary>
[MemoryDiagnoser]
[MinColumn]
public class MarkovTransitionFieldBenchmarks
{
    private float[] _record = [];
    private float[] _images = [];
    private float[] _field = [];
    private MarkovTransitionFieldEncoder _encoder = null!;
    private BinDiscretizer _discretizer = null!;

    [Params(224)]
    public int ImageSize { get; set; }

    [Params(8)]
    public int BinCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _record = EncodingBenchmarkData.TwelveLeadRecord();
        _images = new float[EncodingBenchmarkData.Leads * ImageSize * ImageSize];
        _field = new float[EncodingBenchmarkData.Samples * EncodingBenchmarkData.Samples];
        _encoder = new MarkovTransitionFieldEncoder(new() { ImageSize = ImageSize, BinCount = BinCount });
        _discretizer = new BinDiscretizer(new() { BinCount = BinCount });
    }

    /// <summary>Baseline: pyts's algorithm (build the full n × n field, then average it over blocks), scalar.</summary>
    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        int n = EncodingBenchmarkData.Samples, s = ImageSize, b = BinCount;
        var w = new float[b * b];
        for (int l = 0; l < EncodingBenchmarkData.Leads; l++)
        {
            int[] bins = _discretizer.Transform(_record.AsSpan(l * n, n));
            Array.Clear(w);
            for (int j = 0; j + 1 < n; j++) w[bins[j] * b + bins[j + 1]]++;
            for (int a = 0; a < b; a++)
            {
                float sum = 0;
                for (int c = 0; c < b; c++) sum += w[a * b + c];
                for (int c = 0; c < b; c++) w[a * b + c] /= sum == 0 ? 1 : sum;
            }

            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++) _field[j * n + k] = w[bins[j] * b + bins[k]];
            }

            var image = _images.AsSpan(l * s * s, s * s);
            for (int p = 0; p < s; p++)
            {
                int p0 = (int)(p * ((double)n / s)), p1 = p + 1 == s ? n : (int)((p + 1) * ((double)n / s));
                for (int q = 0; q < s; q++)
                {
                    int q0 = (int)(q * ((double)n / s)), q1 = q + 1 == s ? n : (int)((q + 1) * ((double)n / s));
                    float sum = 0;
                    for (int j = p0; j < p1; j++)
                    {
                        for (int k = q0; k < q1; k++) sum += _field[j * n + k];
                    }

                    image[p * s + q] = sum / ((p1 - p0) * (q1 - q0));
                }
            }
        }
    }

    /// <summary>The library: block histograms H, then H·W·Hᵀ with Vector256 row sums (no n × n field).</summary>
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
