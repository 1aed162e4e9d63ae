using System.Globalization;

namespace EcgVision.Encoding;

/// <summary>An output length given either as a count or as a fraction of the input length (pyts's <c>image_size</c> / <c>output_size</c>).</summary>
/// <remarks>
/// An <see cref="int"/> converts implicitly, so <c>ImageSize = 64</c> works; use <see cref="Fraction(double)"/> for pyts's float form,
/// which resolves to <c>ceil(fraction × length)</c>.
/// </remarks>
public readonly record struct OutputSize
{
    private OutputSize(int count, double fraction)
    {
        Count = count;
        FractionOfLength = fraction;
    }

    /// <summary>The absolute count, or 0 when this size is a fraction.</summary>
    public int Count { get; }

    /// <summary>The fraction of the input length in (0, 1], or 0 when this size is a count.</summary>
    public double FractionOfLength { get; }

    /// <summary>Whether this size is a fraction of the input length.</summary>
    public bool IsFraction => FractionOfLength != 0;

    /// <summary>An absolute size.</summary>
    /// <param name="count">The count, at least 1 (checked where the options are validated).</param>
    /// <returns>The size.</returns>
    public static OutputSize Absolute(int count) => new(count, 0);

    /// <summary>A size relative to the input length: <c>ceil(fraction × length)</c>.</summary>
    /// <param name="fraction">In (0, 1] (checked where the options are validated).</param>
    /// <returns>The size.</returns>
    public static OutputSize Fraction(double fraction) => new(0, fraction);

    /// <summary>Converts a count to an absolute size.</summary>
    /// <param name="count">The count.</param>
    public static implicit operator OutputSize(int count) => Absolute(count);

    /// <inheritdoc/>
    public override string ToString() => IsFraction
        ? FractionOfLength.ToString("R", CultureInfo.InvariantCulture) + " of the signal length"
        : Count.ToString(CultureInfo.InvariantCulture);

    /// <summary>Throws unless the size is a positive count or a fraction in (0, 1].</summary>
    internal void Validate(string paramName)
    {
        if (IsFraction)
        {
            if (!(FractionOfLength > 0 && FractionOfLength <= 1))
            {
                throw new ArgumentOutOfRangeException(paramName, $"{paramName} as a fraction must be in (0, 1] (got {FractionOfLength.ToString("R", CultureInfo.InvariantCulture)}).");
            }
        }
        else if (Count < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, $"{paramName} must be at least 1 (got {Count}).");
        }
    }

    /// <summary>The size for an input of <paramref name="length"/> samples; throws when it exceeds the length.</summary>
    internal int Resolve(int length, string optionName, string paramName)
    {
        if (length < 1)
        {
            throw new ArgumentException($"The signal must contain at least 1 sample (got {length}).", paramName);
        }

        int size = IsFraction ? (int)Math.Ceiling(FractionOfLength * length) : Count;
        if (size < 1 || size > length)
        {
            throw new ArgumentException($"{optionName} must be between 1 and the signal length ({length}) (got {size}).", paramName);
        }

        return size;
    }
}
