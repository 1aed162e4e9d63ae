using System.Buffers;

namespace EcgVision.Encoding;

/// <summary>Options of <see cref="PiecewiseAggregateApproximation"/>.</summary>
public sealed record PiecewiseAggregateApproximationOptions
{
    /// <summary>Output length, a count or a fraction of the signal length (pyts <c>output_size</c>). Default 64.</summary>
    public OutputSize OutputSize { get; init; } = 64;

    /// <summary>
    /// Whether windows all have the fixed length <c>ceil(n / OutputSize)</c> and may overlap (pyts <c>overlapping=True</c>),
    /// instead of tiling the signal with windows of varying length. Default <see langword="false"/>, as pyts's image
    /// transformers use it (pyts's standalone PAA defaults to <see langword="true"/>).
    /// </summary>
    public bool Overlapping { get; init; }
}

/// <summary>Piecewise Aggregate Approximation: the means of the signal over consecutive windows (Keogh et al. 2001).</summary>
/// <remarks>
/// Same window bounds as pyts's <c>PiecewiseAggregateApproximation(window_size=None, output_size=…)</c>: with
/// <c>w = ceil(n / m)</c>, non-overlapping windows are <c>[⌊k·n/m⌋, ⌊(k+1)·n/m⌋)</c> (numpy linspace truncation), and
/// overlapping windows have length exactly <c>w</c>, shifted back by <c>linspace(0, m·w − n, m)</c>. When <c>m = n</c>
/// the signal is returned unchanged. Means are accumulated in double precision.
/// </remarks>
public sealed class PiecewiseAggregateApproximation
{
    private readonly PiecewiseAggregateApproximationOptions _options;

    /// <summary>Creates the transformer.</summary>
    /// <param name="options">Options; <see langword="null"/> means the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The output size is not a positive count or a fraction in (0, 1].</exception>
    public PiecewiseAggregateApproximation(PiecewiseAggregateApproximationOptions? options = null)
    {
        _options = options ?? new PiecewiseAggregateApproximationOptions();
        _options.OutputSize.Validate(nameof(PiecewiseAggregateApproximationOptions.OutputSize));
    }

    /// <summary>The validated options.</summary>
    public PiecewiseAggregateApproximationOptions Options => _options;

    /// <summary>The output length for a signal of <paramref name="signalLength"/> samples.</summary>
    /// <param name="signalLength">Number of samples.</param>
    /// <returns>The output length.</returns>
    /// <exception cref="ArgumentException">The output size is larger than the signal.</exception>
    public int GetOutputLength(int signalLength) =>
        _options.OutputSize.Resolve(signalLength, nameof(PiecewiseAggregateApproximationOptions.OutputSize), nameof(signalLength));

    /// <summary>Reduces <paramref name="signal"/> into <paramref name="destination"/>.</summary>
    /// <param name="signal">The samples; NaN and ∞ propagate into the means of the windows that hold them.</param>
    /// <param name="destination">Receives <see cref="GetOutputLength(int)"/> means.</param>
    /// <exception cref="ArgumentException">The output size is larger than the signal, or <paramref name="destination"/> is too short.</exception>
    public void Transform(ReadOnlySpan<float> signal, Span<float> destination)
    {
        int m = _options.OutputSize.Resolve(signal.Length, nameof(PiecewiseAggregateApproximationOptions.OutputSize), nameof(signal));
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, m, "the PAA output length");
        double[] means = ArrayPool<double>.Shared.Rent(m);
        try
        {
            Reduce(signal, m, _options.Overlapping, means.AsSpan(0, m));
            for (int i = 0; i < m; i++)
            {
                destination[i] = (float)means[i];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(means);
        }
    }

    /// <summary>Reduces <paramref name="signal"/> into a new array.</summary>
    /// <param name="signal">The samples.</param>
    /// <returns>The window means.</returns>
    /// <exception cref="ArgumentException">The output size is larger than the signal.</exception>
    public float[] Transform(ReadOnlySpan<float> signal)
    {
        var result = new float[_options.OutputSize.Resolve(signal.Length, nameof(PiecewiseAggregateApproximationOptions.OutputSize), nameof(signal))];
        Transform(signal, result);
        return result;
    }

    /// <summary>PAA of <paramref name="signal"/> to <paramref name="segments"/> values, in double precision.</summary>
    internal static void Reduce(ReadOnlySpan<float> signal, int segments, bool overlapping, Span<double> destination)
    {
        if (segments == signal.Length)
        {
            for (int i = 0; i < segments; i++)
            {
                destination[i] = signal[i];
            }

            return;
        }

        int[] bounds = ArrayPool<int>.Shared.Rent(2 * segments);
        try
        {
            Span<int> start = bounds.AsSpan(0, segments), end = bounds.AsSpan(segments, segments);
            EncodingKernels.Segment(signal.Length, segments, overlapping, start, end);
            EncodingKernels.SegmentMeans(signal, start, end, destination);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(bounds);
        }
    }
}
