using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using EcgVision.Retrieval;

namespace EcgVision.Benchmarks.Retrieval;

/// <summary>
/// Exact cosine retrieval over N = 100,000 unit vectors of dimension 256 (102 MB of float32), k = 10, seeded random data
/// (the same setting as benchmarks/peers/faiss_flatip.py). Batch methods search 256 queries; divide by 256 for the per-query cost.
/// </summary>
[MemoryDiagnoser]
public class CosineRetrieverBenchmarks
{
    public const int Count = 100_000;
    public const int Dimension = 256;
    public const int Top = 10;
    public const int BatchSize = 256;

    private CosineRetriever<long> _float32 = null!;
    private CosineRetriever<long> _float16 = null!;
    private CosineRetriever<long> _int8 = null!;
    private float[] _data = null!;
    private float[] _queries = null!;
    private float[] _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _data = new float[Count * Dimension];
        for (int i = 0; i < _data.Length; i++)
        {
            _data[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        for (int i = 0; i < Count; i++)
        {
            Span<float> row = _data.AsSpan(i * Dimension, Dimension);
            TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
        }

        long[] keys = Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
        _float32 = new CosineRetriever<long>(Dimension);
        _float32.AddRange(keys, _data);
        _float16 = new CosineRetriever<long>(Dimension, new() { Storage = RetrieverStorage.Float16 });
        _float16.AddRange(keys, _data);
        _int8 = new CosineRetriever<long>(Dimension, new() { Storage = RetrieverStorage.Int8 });
        _int8.AddRange(keys, _data);
        _queries = new float[BatchSize * Dimension];
        for (int i = 0; i < _queries.Length; i++)
        {
            _queries[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        _query = _queries[..Dimension];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _float32.Dispose();
        _float16.Dispose();
        _int8.Dispose();
    }

    /// <summary>Naive reference: one TensorPrimitives.Dot call per row plus a sort of the best k.</summary>
    [Benchmark(Baseline = true)]
    public long SingleQuery_DotPerRow()
    {
        var best = new PriorityQueue<long, float>(Top + 1);
        ReadOnlySpan<float> q = _query;
        for (int i = 0; i < Count; i++)
        {
            float s = TensorPrimitives.Dot(q, _data.AsSpan(i * Dimension, Dimension));
            best.Enqueue(i, s);
            if (best.Count > Top)
            {
                best.Dequeue();
            }
        }

        return best.Peek();
    }

    [Benchmark]
    public RetrievalHit<long> SingleQuery_Float32() => _float32.Search(_query, Top)[0];

    [Benchmark]
    public RetrievalHit<long> SingleQuery_Float16() => _float16.Search(_query, Top)[0];

    [Benchmark]
    public RetrievalHit<long> SingleQuery_Int8() => _int8.Search(_query, Top)[0];

    [Benchmark]
    public int Batch256_SingleThread() => _float32.SearchBatch(_queries, Top, parallel: false).Count;

    [Benchmark]
    public int Batch256_Parallel() => _float32.SearchBatch(_queries, Top, parallel: true).Count;
}
