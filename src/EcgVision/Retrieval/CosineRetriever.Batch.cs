using System.Numerics;
using System.Runtime.Intrinsics;
using EcgVision.Retrieval.Internal;

namespace EcgVision.Retrieval;

public sealed unsafe partial class CosineRetriever<TKey>
{
    private const int BatchQueryBlock = 256;

    /// <summary>Searches many queries at once; results equal those of <see cref="Search"/> for each query.</summary>
    /// <param name="queries">Row-major <c>[q, Dimension]</c> query embeddings (each finite and non-zero).</param>
    /// <param name="top">Hits per query; at least 1.</param>
    /// <param name="parallel">Spread query blocks over all cores.</param>
    /// <param name="filter">Optional restriction on the keys that may be returned (must be thread-safe when <paramref name="parallel"/>).</param>
    /// <returns>One hit list per query, in query order.</returns>
    /// <remarks>
    /// Queries are processed in blocks of up to 256 (one per core when <paramref name="parallel"/>), transposed once to dimension-major order; the rows are streamed in blocks of about
    /// 64 KB and scored against every query of the block with a 6-row × 64-query register-blocked micro-kernel (GEMM-like), so each row
    /// block is read from memory once per query block instead of once per query. All queries read the same snapshot.
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
        float[] units = GC.AllocateUninitializedArray<float>(Math.Max(queryCount * d, 1), pinned: true);
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
        if (count * 4 < width)
        {
            // Too few queries to fill a tile: one memory-bound scan per query over the same snapshot is cheaper than padding.
            fixed (float* qp = &units[first * d])
            {
                for (int i = 0; i < count; i++)
                {
                    results[first + i] = ScanSnapshot(s, qp + ((long)i * d), top, filter);
                }
            }

            return;
        }

        int stride = (count + width - 1) / width * width;

        // A row block of about 64 KB stays in L2 while every query chunk of the block is scored against it (a multiple of the 6-row tile).
        int rowBlock = Math.Clamp(16384 / d, 6, 240) / 6 * 6;
        int k = Math.Min(top, s.Live);
        bool compact = s.Store.Storage != RetrieverStorage.Float32;
        var heaps = new TopK[count];
        for (int i = 0; i < count; i++)
        {
            heaps[i] = new TopK(compact ? CandidateCount(k, s.Live) : k);
        }

        float[] transposed = GC.AllocateUninitializedArray<float>(stride * d, pinned: true);
        float[] scores = GC.AllocateUninitializedArray<float>(rowBlock * stride, pinned: true);
        float[]? widened = compact ? GC.AllocateUninitializedArray<float>(rowBlock * d, pinned: true) : null;

        // Per-query admission thresholds: −∞ until a heap is full, then its worst kept score; +∞ for padding columns.
        float[] thresholds = GC.AllocateUninitializedArray<float>(stride, pinned: true);
        thresholds.AsSpan(0, count).Fill(float.NegativeInfinity);
        thresholds.AsSpan(count).Fill(float.PositiveInfinity);
        fixed (float* qp = &units[first * d])
        fixed (float* tp = transposed)
        fixed (float* sp = scores)
        fixed (float* wp = widened)
        {
            DotKernels.Transpose(qp, d, count, tp, stride);
            for (int start = 0; start < s.Count; start += rowBlock)
            {
                int n = Math.Min(rowBlock, s.Count - start);
                float* rows = s.Store.ScanRows(start, n, wp);
                DotKernels.ScoreRowsAgainstQueries(rows, n, d, tp, stride, sp);
                AdmitBlock(heaps, thresholds, sp, stride, start, n, s, filter);
            }

            for (int i = 0; i < count; i++)
            {
                results[first + i] = compact ? Rescore(heaps[i], k, qp + ((long)i * d), s) : ToHits(heaps[i], s);
            }
        }
    }

    /// <summary>
    /// Offers a <c>[n, stride]</c> block of scores (row-major, one column per query) to the per-query heaps. A whole row of query scores
    /// is compared with the thresholds in one vector operation, so the common case (no query's top-k changes) costs a compare per vector.
    /// </summary>
    private static void AdmitBlock(TopK[] heaps, float[] thresholds, float* scores, int stride, int start, int n, Snapshot s, RetrievalFilter<TKey>? filter)
    {
        bool checkDeleted = s.Tombstones > 0;
        int width = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 1;
        fixed (float* th = thresholds)
        {
            for (int r = 0; r < n; r++)
            {
                float* rowScores = scores + ((long)r * stride);
                for (int c = 0; c < stride; c += width)
                {
                    ulong mask = width switch
                    {
                        16 => Vector512.GreaterThan(Vector512.Load(rowScores + c), Vector512.Load(th + c)).ExtractMostSignificantBits(),
                        8 => Vector256.GreaterThan(Vector256.Load(rowScores + c), Vector256.Load(th + c)).ExtractMostSignificantBits(),
                        _ => rowScores[c] > th[c] ? 1UL : 0UL,
                    };
                    while (mask != 0)
                    {
                        int q = c + BitOperations.TrailingZeroCount(mask);
                        mask &= mask - 1;
                        int row = start + r;
                        if ((checkDeleted && !s.IsVisible(row)) || (filter is not null && !filter.Accepts(s.Store.Keys[row])))
                        {
                            continue;
                        }

                        TopK heap = heaps[q];
                        heap.Push(rowScores[q], row);
                        th[q] = heap.IsFull ? heap.MinScore : float.NegativeInfinity;
                    }
                }
            }
        }
    }
}
