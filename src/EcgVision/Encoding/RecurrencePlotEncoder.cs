using System.Buffers;
using System.Globalization;

namespace EcgVision.Encoding;

/// <summary>How <see cref="RecurrencePlotEncoder"/> binarises distances (pyts <c>threshold</c>).</summary>
public enum RecurrencePlotThreshold
{
    /// <summary>No binarisation: the image holds the distances (pyts <c>threshold=None</c>).</summary>
    None,

    /// <summary>ε is the <see cref="RecurrencePlotOptions.Percentage"/>-th percentile of all distances (pyts <c>'point'</c>).</summary>
    Point,

    /// <summary>ε is <see cref="RecurrencePlotOptions.Percentage"/>% of the largest distance (pyts <c>'distance'</c>).</summary>
    Distance,

    /// <summary>ε is <see cref="RecurrencePlotOptions.Epsilon"/> (pyts: a number).</summary>
    Fixed,
}

/// <summary>Options of <see cref="RecurrencePlotEncoder"/> (pyts <c>RecurrencePlot</c>).</summary>
public sealed record RecurrencePlotOptions
{
    /// <summary>Embedding dimension m of the trajectories, at least 1. Default 1.</summary>
    public int Dimension { get; init; } = 1;

    /// <summary>Delay τ between the coordinates of a trajectory, at least 1. Default 1.</summary>
    public int TimeDelay { get; init; } = 1;

    /// <summary>Binarisation. Default <see cref="RecurrencePlotThreshold.None"/>.</summary>
    public RecurrencePlotThreshold Threshold { get; init; } = RecurrencePlotThreshold.None;

    /// <summary>The distance threshold ε for <see cref="RecurrencePlotThreshold.Fixed"/>; must be positive. Default 0.1.</summary>
    public double Epsilon { get; init; } = 0.1;

    /// <summary>Percentage in [0, 100] for <see cref="RecurrencePlotThreshold.Point"/> and <see cref="RecurrencePlotThreshold.Distance"/>. Default 10.</summary>
    public double Percentage { get; init; } = 10;

    /// <summary>
    /// Optional image side length (count or fraction of the signal length). <see langword="null"/> (default, pyts) gives
    /// <c>n − (m − 1)τ</c>; otherwise the signal is first reduced by PAA to <c>ImageSize + (m − 1)τ</c> samples, so a
    /// 1000-sample lead can give a 224-pixel plot without computing the 1000 × 1000 one (an extension; pyts has no such option).
    /// </summary>
    public OutputSize? ImageSize { get; init; }

    /// <summary>Optional cap on unthresholded distances: larger distances are set to it (Qiu et al. use 1). Default <see langword="null"/>.</summary>
    public float? MaxDistance { get; init; }
}

/// <summary>Recurrence plot (Eckmann, Kamphorst &amp; Ruelle 1987), with pyts's exact semantics.</summary>
/// <remarks>
/// <para>Trajectories <c>x⃗ᵢ = (xᵢ, xᵢ₊τ, …, xᵢ₊₍ₘ₋₁₎τ)</c>, <c>i = 0 … n − (m−1)τ − 1</c>; the image is
/// <c>Rᵢⱼ = ‖x⃗ᵢ − x⃗ⱼ‖₂</c>, or <c>Θ(ε − ‖x⃗ᵢ − x⃗ⱼ‖)</c> with a strict <c>&lt;</c> when thresholded (1 = recurrence).</para>
/// <para>Output <c>[S, S]</c> row-major, values ≥ 0 (0/1 when thresholded, at most <see cref="RecurrencePlotOptions.MaxDistance"/> when capped).
/// NaN or ∞ samples are rejected. A constant signal gives an all-zero plot (all ones when thresholded).</para>
/// <para>Reference: J.-P. Eckmann, S. O. Kamphorst and D. Ruelle, "Recurrence Plots of Dynamical Systems", Europhysics Letters 4 (1987).</para>
/// </remarks>
public sealed class RecurrencePlotEncoder : IEcgImageEncoder
{
    private readonly RecurrencePlotOptions _options;

    /// <summary>Creates the encoder.</summary>
    /// <param name="options">Options; <see langword="null"/> means the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="NotSupportedException">The threshold is not a defined <see cref="RecurrencePlotThreshold"/>.</exception>
    public RecurrencePlotEncoder(RecurrencePlotOptions? options = null)
    {
        _options = options ?? new RecurrencePlotOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Dimension, 1, nameof(RecurrencePlotOptions.Dimension));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.TimeDelay, 1, nameof(RecurrencePlotOptions.TimeDelay));
        if (_options.Threshold is < RecurrencePlotThreshold.None or > RecurrencePlotThreshold.Fixed)
        {
            throw new NotSupportedException($"Threshold {_options.Threshold} is not supported; use None, Point, Distance or Fixed.");
        }

        if (!(_options.Epsilon > 0) || double.IsInfinity(_options.Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(RecurrencePlotOptions.Epsilon), $"Epsilon must be finite and greater than 0 (got {_options.Epsilon.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (!(_options.Percentage >= 0 && _options.Percentage <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(RecurrencePlotOptions.Percentage), $"Percentage must be between 0 and 100 (got {_options.Percentage.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (_options.MaxDistance is { } cap && !(cap > 0 && float.IsFinite(cap)))
        {
            throw new ArgumentOutOfRangeException(nameof(RecurrencePlotOptions.MaxDistance), $"MaxDistance must be finite and greater than 0 (got {cap.ToString(CultureInfo.InvariantCulture)}).");
        }

        _options.ImageSize?.Validate(nameof(RecurrencePlotOptions.ImageSize));
    }

    /// <summary>The validated options.</summary>
    public RecurrencePlotOptions Options => _options;

    /// <inheritdoc/>
    public int GetImageSize(int signalLength) => Resolve(signalLength, nameof(signalLength)).Size;

    private (int Size, int Reduced) Resolve(int length, string paramName)
    {
        if (length < 1)
        {
            throw new ArgumentException($"The signal must contain at least 1 sample (got {length}).", paramName);
        }

        long span = (long)(_options.Dimension - 1) * _options.TimeDelay;
        if (_options.ImageSize is { } imageSize)
        {
            int size = imageSize.Resolve(length, nameof(RecurrencePlotOptions.ImageSize), paramName);
            if (size + span > length)
            {
                throw new ArgumentException(
                    $"ImageSize + (Dimension - 1) * TimeDelay must not exceed the signal length ({length}) (got {size} + {span}).", paramName);
            }

            return (size, size + (int)span);
        }

        if (length - span < 1)
        {
            throw new ArgumentException(
                $"The number of trajectories, signal length - (Dimension - 1) * TimeDelay, must be at least 1 (got {length} - {span}).", paramName);
        }

        return ((int)(length - span), length);
    }

    /// <inheritdoc/>
    public void Encode(ReadOnlySpan<float> signal, Span<float> destination)
    {
        EncodingKernels.ThrowIfNotFinite(signal);
        (int size, int reduced) = Resolve(signal.Length, nameof(signal));
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, size * size, "a {0}×{0} image", size);
        Span<float> image = destination[..(size * size)];

        float[]? rented = null;
        try
        {
            ReadOnlySpan<float> x = signal;
            if (reduced != signal.Length)
            {
                rented = ArrayPool<float>.Shared.Rent(reduced);
                double[] means = ArrayPool<double>.Shared.Rent(reduced);
                PiecewiseAggregateApproximation.Reduce(signal, reduced, overlapping: false, means.AsSpan(0, reduced));
                for (int i = 0; i < reduced; i++)
                {
                    rented[i] = (float)means[i];
                }

                ArrayPool<double>.Shared.Return(means);
                x = rented.AsSpan(0, reduced);
            }

            WriteDistances(x, size, image);
            ApplyThreshold(image);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    private void WriteDistances(ReadOnlySpan<float> x, int size, Span<float> image)
    {
        int m = _options.Dimension, tau = _options.TimeDelay;
        float cap = _options.Threshold == RecurrencePlotThreshold.None && _options.MaxDistance is { } c ? c : float.PositiveInfinity;
        if (m == 1)
        {
            for (int i = 0; i < size; i++)
            {
                EncodingKernels.AbsoluteDifference(x[..size], x[i], cap, image.Slice(i * size, size));
            }

            return;
        }

        for (int i = 0; i < size; i++)
        {
            Span<float> row = image.Slice(i * size, size);
            row.Clear();
            for (int k = 0; k < m; k++)
            {
                EncodingKernels.AddSquaredDifference(x.Slice(k * tau, size), x[i + k * tau], row);
            }

            System.Numerics.Tensors.TensorPrimitives.Sqrt(row, row);
            if (!float.IsPositiveInfinity(cap))
            {
                System.Numerics.Tensors.TensorPrimitives.Min(row, cap, row);
            }
        }
    }

    private void ApplyThreshold(Span<float> image)
    {
        double epsilon;
        switch (_options.Threshold)
        {
            case RecurrencePlotThreshold.None:
                return;
            case RecurrencePlotThreshold.Fixed:
                epsilon = _options.Epsilon;
                break;
            case RecurrencePlotThreshold.Distance:
                epsilon = _options.Percentage / 100 * System.Numerics.Tensors.TensorPrimitives.Max(image);
                break;
            default:
                epsilon = Percentile(image, _options.Percentage / 100);
                break;
        }

        for (int i = 0; i < image.Length; i++)
        {
            image[i] = image[i] < epsilon ? 1f : 0f;
        }
    }

    /// <summary>numpy <c>percentile</c> (linear) of all values, via selection on a pooled copy.</summary>
    private static double Percentile(ReadOnlySpan<float> values, double quantile)
    {
        float[] copy = ArrayPool<float>.Shared.Rent(values.Length);
        try
        {
            Span<float> s = copy.AsSpan(0, values.Length);
            values.CopyTo(s);
            double virtualIndex = (s.Length - 1) * quantile;
            double lower = Math.Floor(virtualIndex);
            int lo = (int)lower;
            float a = EncodingKernels.Select(s, lo);
            float b = a;
            if (lo + 1 < s.Length)
            {
                // After selection every element right of lo is ≥ a, so the next order statistic is their minimum.
                b = System.Numerics.Tensors.TensorPrimitives.Min(s[(lo + 1)..]);
            }

            return EncodingKernels.Lerp(a, b, virtualIndex - lower);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
        }
    }
}
