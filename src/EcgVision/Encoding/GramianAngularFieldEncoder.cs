using System.Buffers;
using System.Globalization;

namespace EcgVision.Encoding;

/// <summary>Which Gramian angular field to build.</summary>
public enum GramianAngularFieldMethod
{
    /// <summary>GASF: <c>cos(φᵢ + φⱼ)</c>.</summary>
    Summation,

    /// <summary>GADF: <c>sin(φᵢ − φⱼ)</c>, row index first (pyts).</summary>
    Difference,
}

/// <summary>Options of <see cref="GramianAngularFieldEncoder"/> (pyts <c>GramianAngularField</c>).</summary>
public sealed record GramianAngularFieldOptions
{
    /// <summary>Image side length, a count or a fraction of the signal length; the signal is first reduced to it by PAA. Default 64.</summary>
    public OutputSize ImageSize { get; init; } = 64;

    /// <summary>Summation (GASF) or difference (GADF). Default <see cref="GramianAngularFieldMethod.Summation"/>.</summary>
    public GramianAngularFieldMethod Method { get; init; } = GramianAngularFieldMethod.Summation;

    /// <summary>
    /// Min-max scaling range of the PAA values, with <c>−1 ≤ Min &lt; Max ≤ 1</c>; default <c>[−1, 1]</c>. <see langword="null"/>
    /// means the input is already scaled: every PAA value must then lie in <c>[−1, 1]</c> (pyts <c>sample_range=None</c>).
    /// </summary>
    public ValueRange? SampleRange { get; init; } = new ValueRange(-1, 1);

    /// <summary>Whether the PAA windows may overlap (pyts <c>overlapping</c>). Default <see langword="false"/>.</summary>
    public bool Overlapping { get; init; }
}

/// <summary>Gramian angular summation / difference field (Wang &amp; Oates 2015), with pyts's exact semantics.</summary>
/// <remarks>
/// <para>Steps: PAA of the signal to <c>S</c> values; min-max scaling of those values to <see cref="GramianAngularFieldOptions.SampleRange"/>
/// (scikit-learn semantics: a constant input maps to the range's lower bound); <c>cos φᵢ = x̃ᵢ</c>,
/// <c>sin φᵢ = √clip(1 − x̃ᵢ², 0, 1)</c>; then outer products, never an arccos per pair:
/// GASF <c>Gᵢⱼ = cos φᵢ cos φⱼ − sin φᵢ sin φⱼ = cos(φᵢ + φⱼ)</c>, GADF <c>Gᵢⱼ = sin φᵢ cos φⱼ − cos φᵢ sin φⱼ = sin(φᵢ − φⱼ)</c>.</para>
/// <para>Output <c>[S, S]</c> row-major, values in <c>[−1, 1]</c> (clamped against float rounding). A constant signal with the default
/// range gives <c>cos φ = −1</c> everywhere, so GASF is all 1 and GADF all 0, as in pyts. NaN or ∞ samples are rejected.</para>
/// <para>Reference: Z. Wang and T. Oates, "Encoding Time Series as Images for Visual Inspection and Classification Using Tiled
/// Convolutional Neural Networks", AAAI Workshops 2015.</para>
/// </remarks>
public sealed class GramianAngularFieldEncoder : IEcgImageEncoder
{
    private readonly GramianAngularFieldOptions _options;

    /// <summary>Creates the encoder.</summary>
    /// <param name="options">Options; <see langword="null"/> means the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The image size or the sample range is invalid.</exception>
    /// <exception cref="NotSupportedException">The method is not a defined <see cref="GramianAngularFieldMethod"/>.</exception>
    public GramianAngularFieldEncoder(GramianAngularFieldOptions? options = null)
    {
        _options = options ?? new GramianAngularFieldOptions();
        _options.ImageSize.Validate(nameof(GramianAngularFieldOptions.ImageSize));
        if (_options.Method is not (GramianAngularFieldMethod.Summation or GramianAngularFieldMethod.Difference))
        {
            throw new NotSupportedException($"Method {_options.Method} is not supported; use Summation or Difference.");
        }

        if (_options.SampleRange is { } r && !(r.Min >= -1 && r.Min < r.Max && r.Max <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(GramianAngularFieldOptions.SampleRange),
                $"SampleRange must satisfy -1 <= Min < Max <= 1 (got [{r.Min.ToString(CultureInfo.InvariantCulture)}, {r.Max.ToString(CultureInfo.InvariantCulture)}]).");
        }
    }

    /// <summary>The validated options.</summary>
    public GramianAngularFieldOptions Options => _options;

    /// <inheritdoc/>
    public int GetImageSize(int signalLength) =>
        _options.ImageSize.Resolve(signalLength, nameof(GramianAngularFieldOptions.ImageSize), nameof(signalLength));

    /// <inheritdoc/>
    public void Encode(ReadOnlySpan<float> signal, Span<float> destination)
    {
        EncodingKernels.ThrowIfNotFinite(signal);
        int size = _options.ImageSize.Resolve(signal.Length, nameof(GramianAngularFieldOptions.ImageSize), nameof(signal));
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, size * size, "a {0}×{0} image", size);

        double[] paa = ArrayPool<double>.Shared.Rent(size);
        float[] trig = ArrayPool<float>.Shared.Rent(2 * size);
        try
        {
            Span<double> x = paa.AsSpan(0, size);
            PiecewiseAggregateApproximation.Reduce(signal, size, _options.Overlapping, x);
            Span<float> cos = trig.AsSpan(0, size), sin = trig.AsSpan(size, size);
            Polar(x, _options.SampleRange, cos, sin);
            WriteField(cos, sin, _options.Method, destination[..(size * size)]);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(paa);
            ArrayPool<float>.Shared.Return(trig);
        }
    }

    /// <summary>Scales the PAA values and writes cos φ and sin φ.</summary>
    private static void Polar(ReadOnlySpan<double> x, ValueRange? range, Span<float> cos, Span<float> sin)
    {
        if (range is { } r)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (double v in x)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            // scikit-learn MinMaxScaler: scale = (b − a) / (max − min), with a zero range treated as 1; x·scale + (a − min·scale).
            double dataRange = max - min;
            double scale = (r.Max - r.Min) / (dataRange == 0 ? 1 : dataRange);
            double offset = r.Min - min * scale;
            for (int i = 0; i < x.Length; i++)
            {
                double c = x[i] * scale + offset;
                cos[i] = (float)c;
                sin[i] = (float)Math.Sqrt(Math.Clamp(1 - c * c, 0, 1));
            }

            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            double c = x[i];
            if (!(c >= -1 && c <= 1))
            {
                throw new ArgumentException(
                    $"With SampleRange = null every PAA value of the signal must lie in [-1, 1], but value {i} is {c.ToString("R", CultureInfo.InvariantCulture)}.", "signal");
            }

            cos[i] = (float)c;
            sin[i] = (float)Math.Sqrt(Math.Clamp(1 - c * c, 0, 1));
        }
    }

    private static void WriteField(ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, GramianAngularFieldMethod method, Span<float> destination)
    {
        int size = cos.Length;
        for (int i = 0; i < size; i++)
        {
            Span<float> row = destination.Slice(i * size, size);
            if (method == GramianAngularFieldMethod.Summation)
            {
                EncodingKernels.ScaledDifferenceClamped(cos[i], cos, sin[i], sin, row);
            }
            else
            {
                EncodingKernels.ScaledDifferenceClamped(sin[i], cos, cos[i], sin, row);
            }
        }
    }
}
