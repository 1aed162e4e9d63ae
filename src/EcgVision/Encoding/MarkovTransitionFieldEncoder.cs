using System.Buffers;

namespace EcgVision.Encoding;

/// <summary>Options of <see cref="MarkovTransitionFieldEncoder"/> (pyts <c>MarkovTransitionField</c>).</summary>
public sealed record MarkovTransitionFieldOptions
{
    /// <summary>Image side length, a count or a fraction of the signal length; the field is averaged over blocks to it. Default 64.</summary>
    public OutputSize ImageSize { get; init; } = 64;

    /// <summary>Number of bins (Markov states), at least 2 and at most the signal length. Default 5.</summary>
    public int BinCount { get; init; } = 5;

    /// <summary>Bin edge placement. Default <see cref="BinStrategy.Quantile"/>.</summary>
    public BinStrategy Strategy { get; init; } = BinStrategy.Quantile;

    /// <summary>Whether the averaging blocks may overlap (pyts <c>overlapping</c>). Default <see langword="false"/>.</summary>
    public bool Overlapping { get; init; }

    /// <summary>
    /// Whether a constant signal is rejected (pyts raises "At least one sample is constant"). Default <see langword="true"/>.
    /// When <see langword="false"/>, every sample of a constant signal falls in one bin, whose self-transition probability is 1,
    /// so the field is all ones.
    /// </summary>
    public bool ThrowOnConstantSignal { get; init; } = true;
}

/// <summary>Markov transition field (Wang &amp; Oates 2015), with pyts's exact semantics, computed without the <c>n × n</c> field.</summary>
/// <remarks>
/// <para>Each sample is binned (<see cref="BinDiscretizer"/>); <c>W[a, b]</c> counts transitions <c>a → b</c> between consecutive
/// samples and each row is divided by its sum (an all-zero row stays zero). The full field is <c>M[j, k] = W[bin(j), bin(k)]</c>;
/// pyts then averages it over blocks <c>p × q</c> given by the PAA windows. Because
/// <c>mean_{j∈p, k∈q} W[bin j, bin k] = (h_p^T W h_q) / (|p||q|)</c>, with <c>h_p</c> the bin histogram of block <c>p</c>, the image is
/// <c>H W Hᵀ</c> with <c>H</c> the row-normalised block histograms: exact, and <c>O(n + S²·bins)</c> instead of <c>O(n²)</c>.
/// Blocks follow pyts exactly, including overlapping ones.</para>
/// <para>Output <c>[S, S]</c> row-major, values in <c>[0, 1]</c>. NaN or ∞ samples are rejected.</para>
/// <para>Reference: Z. Wang and T. Oates, AAAI Workshops 2015.</para>
/// </remarks>
public sealed class MarkovTransitionFieldEncoder : IEcgImageEncoder
{
    private readonly MarkovTransitionFieldOptions _options;
    private readonly BinDiscretizer _discretizer;

    /// <summary>Creates the encoder.</summary>
    /// <param name="options">Options; <see langword="null"/> means the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The image size or the bin count is invalid.</exception>
    /// <exception cref="NotSupportedException">The strategy is not a defined <see cref="BinStrategy"/>.</exception>
    public MarkovTransitionFieldEncoder(MarkovTransitionFieldOptions? options = null)
    {
        _options = options ?? new MarkovTransitionFieldOptions();
        _options.ImageSize.Validate(nameof(MarkovTransitionFieldOptions.ImageSize));
        BinDiscretizer.ValidateBinCount(_options.BinCount, nameof(MarkovTransitionFieldOptions.BinCount));
        _discretizer = new BinDiscretizer(new BinDiscretizerOptions { BinCount = _options.BinCount, Strategy = _options.Strategy });
    }

    /// <summary>The validated options.</summary>
    public MarkovTransitionFieldOptions Options => _options;

    /// <inheritdoc/>
    public int GetImageSize(int signalLength)
    {
        int size = _options.ImageSize.Resolve(signalLength, nameof(MarkovTransitionFieldOptions.ImageSize), nameof(signalLength));
        if (signalLength < _options.BinCount)
        {
            throw new ArgumentException($"The signal length ({signalLength}) must be at least BinCount ({_options.BinCount}).", nameof(signalLength));
        }

        return size;
    }

    /// <inheritdoc/>
    public void Encode(ReadOnlySpan<float> signal, Span<float> destination)
    {
        int n = signal.Length;
        int size = _options.ImageSize.Resolve(n, nameof(MarkovTransitionFieldOptions.ImageSize), nameof(signal));
        BinDiscretizer.Validate(signal, _options.BinCount, _options.ThrowOnConstantSignal);
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, size * size, "a {0}×{0} image", size);

        int bins = _options.BinCount;
        int[] intScratch = ArrayPool<int>.Shared.Rent(n + 2 * size);
        float[] floatScratch = ArrayPool<float>.Shared.Rent(bins * bins + 2 * size * bins);
        try
        {
            Span<int> binned = intScratch.AsSpan(0, n);
            Span<int> start = intScratch.AsSpan(n, size), end = intScratch.AsSpan(n + size, size);
            Span<float> transition = floatScratch.AsSpan(0, bins * bins);
            Span<float> histogramsT = floatScratch.AsSpan(bins * bins, bins * size); // [bins, S]: column q is block q's normalised histogram
            Span<float> projected = floatScratch.AsSpan(bins * bins + bins * size, size * bins); // [S, bins]: row p is h_pᵀ W

            _discretizer.TransformCore(signal, binned);

            transition.Clear();
            for (int j = 0; j + 1 < n; j++)
            {
                transition[binned[j] * bins + binned[j + 1]] += 1;
            }

            for (int a = 0; a < bins; a++)
            {
                Span<float> row = transition.Slice(a * bins, bins);
                float sum = 0;
                foreach (float c in row)
                {
                    sum += c;
                }

                if (sum > 0)
                {
                    for (int b = 0; b < bins; b++)
                    {
                        row[b] /= sum;
                    }
                }
            }

            EncodingKernels.Segment(n, size, _options.Overlapping, start, end);
            histogramsT.Clear();
            for (int p = 0; p < size; p++)
            {
                float weight = 1f / (end[p] - start[p]);
                for (int j = start[p]; j < end[p]; j++)
                {
                    histogramsT[binned[j] * size + p] += weight;
                }
            }

            projected.Clear();
            for (int p = 0; p < size; p++)
            {
                Span<float> target = projected.Slice(p * bins, bins);
                for (int a = 0; a < bins; a++)
                {
                    float h = histogramsT[a * size + p];
                    if (h == 0)
                    {
                        continue;
                    }

                    ReadOnlySpan<float> w = transition.Slice(a * bins, bins);
                    for (int b = 0; b < bins; b++)
                    {
                        target[b] += h * w[b];
                    }
                }
            }

            for (int p = 0; p < size; p++)
            {
                EncodingKernels.WeightedRowSum(projected.Slice(p * bins, bins), histogramsT, bins, destination.Slice(p * size, size));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(intScratch);
            ArrayPool<float>.Shared.Return(floatScratch);
        }
    }
}
