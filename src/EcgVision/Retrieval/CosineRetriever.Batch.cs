using EcgVision.Retrieval.Internal;

namespace EcgVision.Retrieval;

public sealed unsafe partial class CosineRetriever<TKey>
{
    private const int BatchQueryBlock = 64;

    /// <summary>Searches many queries at once; results equal those of <see cref="Search"/> for each query.</summary>
    /// <param name="queries">Row-major <c>[q, Dimension]</c> query embeddings (each finite and non-zero).</param>
    /// <param name="top">Hits per query; at least 1.</param>
    /// <param name="parallel">Spread query blocks over all cores.</param>
    /// <param name="filter">Optional restriction on the keys that may be returned (must be thread-safe when <paramref name="parallel"/>).</param>
    /// <returns>One hit list per query, in query order.</returns>
    /// <remarks>
    /// Queries are processed in blocks of up to 64; the rows are streamed in blocks of about 256 KB which are transposed once and then
    /// scored against every query of the block with a 4-query × 32-row register-blocked micro-kernel (GEMM-like), so each row block is read
    /// from memory once per query block instead of once per query. All queries read the same snapshot.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not a multiple of <see cref="Dimension"/> long, or a query is invalid.</exception>
    /// <exception cref="Signals.EcgFormatException">The index was loaded from a file whose vectors fail their checksum.</exception>
    /// <exception cref="ObjectDisposedException">The index was disposed.</exception>
    public IReadOnlyList<IReadOnlyList<RetrievalHit<TKey>>> SearchBatch(ReadOnlySpan<float> queries, int top, bool parallel = false, RetrievalFilter<TKey>? filter = null)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        int d = Dimension;
        if (queries.Length % d != 0)
        {
            throw new ArgumentException($"Queries length ({queries.Length}) must be a multiple of the index dimension ({d}).", nameof(queries));
        }

        int queryCount = queries.Length / d;
        float[] units = GC.AllocateUninitializedArray<float>(((queryCount + 3) & ~3) * d, pinned: true);
        for (int i = 0; i < queryCount; i++)
        {
            try
            {
                Normalize(queries.Slice(i * d, d), units.AsSpan(i * d, d), nameof(queries), null);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Query {i}: {e.Message}", nameof(queries), e);
            }
        }

        units.AsSpan(queryCount * d).Clear();
        Snapshot s = _snapshot;
        s.Store.EnsureVerified();
        var results = new IReadOnlyList<RetrievalHit<TKey>>[queryCount];
        if (s.Live == 0 || queryCount == 0)
        {
            Array.Fill(results, Array.Empty<RetrievalHit<TKey>>());
            return results;
        }

        int blockSize = BatchQueryBlock;
        if (parallel)
        {
            int perCore = (queryCount + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
            blockSize = Math.Clamp((perCore + 3) & ~3, 4, BatchQueryBlock);
        }

        int blocks = (queryCount + blockSize - 1) / blockSize;
        if (parallel && blocks > 1)
        {
            Parallel.For(0, blocks, b => SearchQueryBlock(s, units, b * blockSize, Math.Min(blockSize, queryCount - (b * blockSize)), top, filter, results));
        }
        else
        {
            for (int b = 0; b < blocks; b++)
            {
                SearchQueryBlock(s, units, b * blockSize, Math.Min(blockSize, queryCount - (b * blockSize)), top, filter, results);
            }
        }

        return results;
    }

    private void SearchQueryBlock(Snapshot s, float[] units, int first, int count, int top, RetrievalFilter<TKey>? filter, IReadOnlyList<RetrievalHit<TKey>>[] results)
    {
        int d = Dimension;
        int width = DotKernels.BatchColumnWidth;

        // A row block of about 256 KB stays in L2 while every query of the block is scored against it.
        int rowBlock = Math.Clamp((65536 / d) / width * width, width, 1024 / width * width);
        int paddedQueries = (count + 3) & ~3;
        int k = Math.Min(top, s.Live);
        bool compact = s.Store.Storage != RetrieverStorage.Float32;
        var heaps = new TopK[count];
        for (int i = 0; i < count; i++)
        {
            heaps[i] = new TopK(compact ? CandidateCount(k, s.Live) : k);
        }

        float[] transposed = GC.AllocateUninitializedArray<float>(rowBlock * d, pinned: true);
        float[] scores = GC.AllocateUninitializedArray<float>(paddedQueries * rowBlock, pinned: true);
        float[]? widened = compact ? GC.AllocateUninitializedArray<float>(rowBlock * d, pinned: true) : null;
        fixed (float* qp = &units[first * d])
        fixed (float* tp = transposed)
        fixed (float* sp = scores)
        fixed (float* wp = widened)
        {
            for (int start = 0; start < s.Count; start += rowBlock)
            {
                int n = Math.Min(rowBlock, s.Count - start);
                float* rows = s.Store.ScanRows(start, n, wp);
                DotKernels.Transpose(rows, d, n, tp, rowBlock);
                DotKernels.ScoreTransposedBlock(qp, paddedQueries, d, tp, rowBlock, sp);
                for (int i = 0; i < count; i++)
                {
                    Admit(heaps[i], sp + ((long)i * rowBlock), start, n, s, filter);
                }
            }

            for (int i = 0; i < count; i++)
            {
                results[first + i] = compact ? Rescore(heaps[i], k, qp + ((long)i * d), s) : ToHits(heaps[i], s);
            }
        }
    }
}
