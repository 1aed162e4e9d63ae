using System.Buffers;
using System.Globalization;

namespace EcgVision.Encoding;

/// <summary>How <see cref="BinDiscretizer"/> places its bin edges (pyts <c>strategy</c>).</summary>
public enum BinStrategy
{
    /// <summary>Edges at the per-signal percentiles <c>100·k/BinCount</c> (numpy linear interpolation); bins hold equal counts. Near-duplicate edges (closer than 1e-8) are dropped, so fewer bins may be used.</summary>
    Quantile,

    /// <summary>Edges split <c>[min, max]</c> of each signal into equal widths.</summary>
    Uniform,

    /// <summary>Edges at the standard normal quantiles <c>Φ⁻¹(k/BinCount)</c>, the same for every signal (expects standardised input).</summary>
    Normal,
}

/// <summary>Options of <see cref="BinDiscretizer"/>.</summary>
public sealed record BinDiscretizerOptions
{
    /// <summary>Number of bins (alphabet size), at least 2 and at most the signal length. Default 5 (pyts).</summary>
    public int BinCount { get; init; } = 5;

    /// <summary>Edge placement. Default <see cref="BinStrategy.Quantile"/> (pyts).</summary>
    public BinStrategy Strategy { get; init; } = BinStrategy.Quantile;
}

/// <summary>Maps each sample to the index of its bin, per signal (pyts <c>KBinsDiscretizer</c>).</summary>
/// <remarks>
/// The bin of <c>x</c> is the number of edges strictly below it (numpy <c>searchsorted(edges, x, side='left')</c>), so a
/// value equal to an edge goes to the lower bin. Edges are computed in double precision from the float samples.
/// A constant signal is rejected, as pyts rejects it ("At least one sample is constant").
/// </remarks>
public sealed class BinDiscretizer
{
    private readonly BinDiscretizerOptions _options;
    private readonly double[] _normalEdges;

    /// <summary>Creates the discretizer.</summary>
    /// <param name="options">Options; <see langword="null"/> means the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BinDiscretizerOptions.BinCount"/> is below 2 or above 65536.</exception>
    /// <exception cref="NotSupportedException">The strategy is not a defined <see cref="BinStrategy"/>.</exception>
    public BinDiscretizer(BinDiscretizerOptions? options = null)
    {
        _options = options ?? new BinDiscretizerOptions();
        ValidateBinCount(_options.BinCount, nameof(BinDiscretizerOptions.BinCount));
        _normalEdges = CreateStrategyEdges(_options.Strategy, _options.BinCount);
    }

    /// <summary>The validated options.</summary>
    public BinDiscretizerOptions Options => _options;

    /// <summary>Computes the bin edges used for <paramref name="signal"/>.</summary>
    /// <param name="signal">The samples; finite, not constant, at least <see cref="BinDiscretizerOptions.BinCount"/> of them.</param>
    /// <param name="edges">Receives the ascending edges; at least <c>BinCount − 1</c> long.</param>
    /// <returns>The number of edges written (fewer than <c>BinCount − 1</c> when quantile edges coincided).</returns>
    /// <exception cref="ArgumentException">The signal is too short, constant or not finite, or <paramref name="edges"/> is too short.</exception>
    public int ComputeEdges(ReadOnlySpan<float> signal, Span<double> edges)
    {
        Validate(signal, _options.BinCount, rejectConstant: true);
        if (edges.Length < _options.BinCount - 1)
        {
            throw new ArgumentException($"edges must hold at least BinCount − 1 = {_options.BinCount - 1} elements (got {edges.Length}).", nameof(edges));
        }

        return ComputeEdgesCore(signal, edges);
    }

    /// <summary>Writes the bin index (0 … BinCount − 1) of every sample.</summary>
    /// <param name="signal">The samples; finite, not constant, at least <see cref="BinDiscretizerOptions.BinCount"/> of them.</param>
    /// <param name="destination">Receives one bin index per sample.</param>
    /// <exception cref="ArgumentException">The signal is too short, constant or not finite, or <paramref name="destination"/> is too short.</exception>
    public void Transform(ReadOnlySpan<float> signal, Span<int> destination)
    {
        Validate(signal, _options.BinCount, rejectConstant: true);
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, signal.Length, "one bin index per sample");
        TransformCore(signal, destination);
    }

    /// <summary>The bin index of every sample, in a new array.</summary>
    /// <param name="signal">The samples.</param>
    /// <returns>One bin index per sample.</returns>
    /// <exception cref="ArgumentException">The signal is too short, constant or not finite.</exception>
    public int[] Transform(ReadOnlySpan<float> signal)
    {
        var bins = new int[signal.Length];
        Transform(signal, bins);
        return bins;
    }

    internal static void ValidateBinCount(int binCount, string name)
    {
        if (binCount < 2 || binCount > 65536)
        {
            throw new ArgumentOutOfRangeException(name, binCount, $"{name} must be between 2 and 65536 (got {binCount}).");
        }
    }

    /// <summary>Fixed edges of the normal strategy (empty array for the data-driven ones); throws for undefined strategies.</summary>
    internal static double[] CreateStrategyEdges(BinStrategy strategy, int binCount)
    {
        switch (strategy)
        {
            case BinStrategy.Quantile:
            case BinStrategy.Uniform:
                return [];
            case BinStrategy.Normal:
                var edges = new double[binCount - 1];
                double step = 1.0 / binCount;
                for (int k = 1; k < binCount; k++)
                {
                    edges[k - 1] = EncodingKernels.NormalQuantile(k * step);
                }

                return edges;
            default:
                throw new NotSupportedException($"Strategy {strategy} is not supported; use Quantile, Uniform or Normal.");
        }
    }

    internal static void Validate(ReadOnlySpan<float> signal, int binCount, bool rejectConstant)
    {
        EncodingKernels.ThrowIfNotFinite(signal);
        if (signal.Length < binCount)
        {
            throw new ArgumentException($"The signal length ({signal.Length}) must be at least BinCount ({binCount}).", nameof(signal));
        }

        if (rejectConstant && System.Numerics.Tensors.TensorPrimitives.Max(signal) == System.Numerics.Tensors.TensorPrimitives.Min(signal))
        {
            throw new ArgumentException(
                $"signal is constant (every sample is {signal[0].ToString(CultureInfo.InvariantCulture)}); bin edges are undefined (pyts raises 'At least one sample is constant').",
                nameof(signal));
        }
    }

    /// <summary>Edges for a validated signal; returns their count.</summary>
    internal int ComputeEdgesCore(ReadOnlySpan<float> signal, Span<double> edges)
    {
        int binCount = _options.BinCount;
        switch (_options.Strategy)
        {
            case BinStrategy.Normal:
                _normalEdges.CopyTo(edges);
                return _normalEdges.Length;
            case BinStrategy.Uniform:
            {
                double min = System.Numerics.Tensors.TensorPrimitives.Min(signal);
                double max = System.Numerics.Tensors.TensorPrimitives.Max(signal);
                double step = (max - min) / binCount; // numpy linspace(min, max, n + 1): start + k·step
                for (int k = 1; k < binCount; k++)
                {
                    edges[k - 1] = k * step + min;
                }

                return binCount - 1;
            }

            default:
            {
                float[] sorted = ArrayPool<float>.Shared.Rent(signal.Length);
                try
                {
                    Span<float> s = sorted.AsSpan(0, signal.Length);
                    signal.CopyTo(s);
                    double step = 100.0 / binCount; // numpy linspace(0, 100, n + 1)[1:-1], then q / 100
                    if (binCount > 128 || 4 * binCount > s.Length)
                    {
                        s.Sort();
                    }
                    else
                    {
                        // Only the order statistics next to each virtual index are needed: place them by recursive
                        // selection (O(n log bins)) instead of sorting everything (O(n log n)).
                        Span<int> ranks = stackalloc int[2 * (binCount - 1)];
                        int rankCount = 0;
                        for (int k = 1; k < binCount; k++)
                        {
                            int lo = (int)Math.Floor((s.Length - 1) * (k * step / 100));
                            ranks[rankCount++] = lo;
                            ranks[rankCount++] = Math.Min(lo + 1, s.Length - 1);
                        }

                        ranks[..rankCount].Sort();
                        SelectRanks(s, 0, ranks[..rankCount]);
                    }

                    for (int k = 1; k < binCount; k++)
                    {
                        edges[k - 1] = EncodingKernels.PercentileOfSorted(s, k * step / 100);
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(sorted);
                }

                // Drop an edge when the next one is within 1e-8 of it (pyts keeps the last of a run of near-equal edges).
                int count = 0;
                for (int k = 0; k < binCount - 1; k++)
                {
                    if (k == binCount - 2 || !(Math.Abs(edges[k + 1] - edges[k]) <= 1e-8))
                    {
                        edges[count++] = edges[k];
                    }
                }

                return count;
            }
        }
    }

    /// <summary>
    /// Rearranges <paramref name="values"/> (which starts at absolute index <paramref name="offset"/>) so that every
    /// absolute rank in <paramref name="ranks"/> (ascending) holds its order statistic, as a full sort would.
    /// </summary>
    private static void SelectRanks(Span<float> values, int offset, ReadOnlySpan<int> ranks)
    {
        while (ranks.Length > 0 && values.Length > 0)
        {
            int middle = ranks.Length / 2;
            int rank = ranks[middle] - offset;
            EncodingKernels.Select(values, rank);
            // Left of rank: all ≤ values[rank]; right: all ≥. Recurse on the left, iterate on the right.
            int left = middle;
            while (left > 0 && ranks[left - 1] == ranks[middle]) left--;
            SelectRanks(values[..rank], offset, ranks[..left]);
            int right = middle + 1;
            while (right < ranks.Length && ranks[right] == ranks[middle]) right++;
            values = values[(rank + 1)..];
            offset += rank + 1;
            ranks = ranks[right..];
        }
    }

    /// <summary>Bins a validated signal (constant signals allowed: every sample then lands in one bin).</summary>
    internal void TransformCore(ReadOnlySpan<float> signal, Span<int> destination)
    {
        int binCount = _options.BinCount;
        Span<double> edges = binCount <= 257 ? stackalloc double[binCount - 1] : new double[binCount - 1];
        int edgeCount = ComputeEdgesCore(signal, edges);
        edges = edges[..edgeCount];
        if (edgeCount <= 16)
        {
            // Few edges: a branch-free count of the edges below x beats a binary search's unpredictable branches.
            for (int i = 0; i < signal.Length; i++)
            {
                double x = signal[i];
                int bin = 0;
                foreach (double e in edges)
                {
                    bin += e < x ? 1 : 0;
                }

                destination[i] = bin;
            }

            return;
        }

        for (int i = 0; i < signal.Length; i++)
        {
            double x = signal[i];
            int lo = 0, hi = edgeCount;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (edges[mid] < x) lo = mid + 1;
                else hi = mid;
            }

            destination[i] = lo;
        }
    }
}
