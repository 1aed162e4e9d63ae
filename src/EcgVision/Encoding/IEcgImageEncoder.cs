namespace EcgVision.Encoding;

/// <summary>Encodes one lead (a 1-D signal) as a square, single-channel float image.</summary>
/// <remarks>
/// Images are row-major <c>[size, size]</c> float32 buffers. Implementations validate their options once, in the
/// constructor, and are safe to use from several threads at once (scratch memory is pooled per call).
/// </remarks>
public interface IEcgImageEncoder
{
    /// <summary>The side length of the image produced for a signal of <paramref name="signalLength"/> samples.</summary>
    /// <param name="signalLength">Number of samples in the signal.</param>
    /// <returns>The image side length; the image holds its square.</returns>
    /// <exception cref="ArgumentException">The options cannot encode a signal of that length (e.g. the image is larger than the signal).</exception>
    int GetImageSize(int signalLength);

    /// <summary>Encodes <paramref name="signal"/> into <paramref name="destination"/> without allocating.</summary>
    /// <param name="signal">The samples; all finite.</param>
    /// <param name="destination">Receives the <c>size × size</c> image, row-major; may be longer.</param>
    /// <exception cref="ArgumentException">A sample is NaN or infinite (paramName <c>signal</c>), the signal cannot be encoded with these options, or <paramref name="destination"/> is too short (paramName <c>destination</c>).</exception>
    void Encode(ReadOnlySpan<float> signal, Span<float> destination);
}

/// <summary>Allocating conveniences over <see cref="IEcgImageEncoder"/>.</summary>
public static class EcgImageEncoderExtensions
{
    /// <summary>Encodes <paramref name="signal"/> into a new array.</summary>
    /// <param name="encoder">The encoder.</param>
    /// <param name="signal">The samples; all finite.</param>
    /// <returns>A fresh <c>size × size</c> row-major image.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="encoder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="IEcgImageEncoder.Encode(ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static float[] Encode(this IEcgImageEncoder encoder, ReadOnlySpan<float> signal)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        int size;
        try
        {
            size = encoder.GetImageSize(signal.Length);
        }
        catch (ArgumentException e) when (e.ParamName == "signalLength")
        {
            // Report the caller's argument, not the helper's.
            throw new ArgumentException(e.Message.Replace(" (Parameter 'signalLength')", string.Empty, StringComparison.Ordinal), nameof(signal), e);
        }

        var image = new float[size * size];
        encoder.Encode(signal, image);
        return image;
    }
}
