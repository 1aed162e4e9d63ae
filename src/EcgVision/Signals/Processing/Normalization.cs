using System.Globalization;
using System.Numerics.Tensors;

namespace EcgVision.Signals.Processing;

/// <summary>How <see cref="EcgPreprocessing.Normalize(EcgRecord, NormalizationMethod, float, float)"/> scales each lead.</summary>
public enum NormalizationMethod
{
    /// <summary>Zero mean, unit (population) standard deviation; see <see cref="Normalization.ZScore"/>.</summary>
    ZScore,

    /// <summary>Linear map of [min, max] onto a target range; see <see cref="Normalization.MinMax"/>.</summary>
    MinMax,

    /// <summary>Division by the largest magnitude, giving values in [−1, 1]; see <see cref="Normalization.MaxAbs"/>.</summary>
    MaxAbs,
}

/// <summary>Per-signal amplitude normalisation (span in, destination out).</summary>
/// <remarks>
/// Statistics are computed over the whole input span in double precision. <c>destination</c> may be the same memory
/// as the input. NaN anywhere in the input makes the whole output NaN (the statistics become NaN); no scan is made.
/// </remarks>
public static class Normalization
{
    /// <summary>Standardises to zero mean and unit population standard deviation (<c>scipy.stats.zscore(x, ddof=0)</c>).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives <c>(x − mean) / std</c>; at least <c>x.Length</c> long.</param>
    /// <remarks>A constant signal (std = 0) gives all zeros, not NaN. An empty input is a no-op.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static void ZScore(ReadOnlySpan<float> x, Span<float> destination)
    {
        CheckDestination(x.Length, destination.Length);
        if (x.IsEmpty)
        {
            return;
        }

        double sum = 0;
        foreach (float v in x)
        {
            sum += v;
        }

        double mean = sum / x.Length;
        double squares = 0;
        foreach (float v in x)
        {
            double d = v - mean;
            squares += d * d;
        }

        double std = Math.Sqrt(squares / x.Length);
        if (std == 0)
        {
            destination[..x.Length].Clear();
            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = (float)((x[i] - mean) / std);
        }
    }

    /// <summary>Maps the input's [min, max] linearly onto [<paramref name="min"/>, <paramref name="max"/>] (scikit-learn's <c>MinMaxScaler</c>).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the scaled values; at least <c>x.Length</c> long.</param>
    /// <param name="min">Lower end of the target range (default 0).</param>
    /// <param name="max">Upper end of the target range (default 1); greater than <paramref name="min"/>.</param>
    /// <remarks>A constant signal maps to <paramref name="min"/> everywhere (as in scikit-learn). An empty input is a no-op.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is not greater than <paramref name="min"/>, or a bound is not finite.</exception>
    public static void MinMax(ReadOnlySpan<float> x, Span<float> destination, float min = 0f, float max = 1f)
    {
        ValidateRange(min, max);
        CheckDestination(x.Length, destination.Length);
        if (x.IsEmpty)
        {
            return;
        }

        double lo = TensorPrimitives.Min(x), hi = TensorPrimitives.Max(x);
        double span = hi - lo;
        if (span == 0)
        {
            destination[..x.Length].Fill(min);
            return;
        }

        double scale = (max - (double)min) / span;
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = (float)(((x[i] - lo) * scale) + min);
        }
    }

    /// <summary>Divides by the largest absolute value, giving values in [−1, 1] (scikit-learn's <c>MaxAbsScaler</c>).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives <c>x / max|x|</c>; at least <c>x.Length</c> long.</param>
    /// <remarks>An all-zero signal stays all zeros. An empty input is a no-op.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static void MaxAbs(ReadOnlySpan<float> x, Span<float> destination)
    {
        CheckDestination(x.Length, destination.Length);
        if (x.IsEmpty)
        {
            return;
        }

        float peak = MathF.Abs(TensorPrimitives.MaxMagnitude(x));
        if (peak == 0)
        {
            destination[..x.Length].Clear();
            return;
        }

        TensorPrimitives.Divide(x, peak, destination[..x.Length]);
    }

    /// <summary>Applies <paramref name="method"/> to <paramref name="x"/>.</summary>
    /// <param name="method">The normalisation.</param>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the result; at least <c>x.Length</c> long.</param>
    /// <param name="min">Lower end of the target range for <see cref="NormalizationMethod.MinMax"/>.</param>
    /// <param name="max">Upper end of the target range for <see cref="NormalizationMethod.MinMax"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is invalid (min-max only).</exception>
    /// <exception cref="NotSupportedException"><paramref name="method"/> is not a defined <see cref="NormalizationMethod"/>.</exception>
    public static void Apply(NormalizationMethod method, ReadOnlySpan<float> x, Span<float> destination, float min = 0f, float max = 1f)
    {
        switch (method)
        {
            case NormalizationMethod.ZScore:
                ZScore(x, destination);
                break;
            case NormalizationMethod.MinMax:
                MinMax(x, destination, min, max);
                break;
            case NormalizationMethod.MaxAbs:
                MaxAbs(x, destination);
                break;
            default:
                throw new NotSupportedException($"method {(int)method} is not a supported NormalizationMethod.");
        }
    }

    internal static void ValidateRange(float min, float max)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || !(max > min))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max,
                string.Create(CultureInfo.InvariantCulture, $"max must be finite and greater than min ({min}) (got {max})."));
        }
    }

    private static void CheckDestination(int length, int destinationLength)
    {
        if (destinationLength < length)
        {
            throw new ArgumentException($"destination must hold at least x.Length ({length}) samples (got {destinationLength}).", "destination");
        }
    }
}
