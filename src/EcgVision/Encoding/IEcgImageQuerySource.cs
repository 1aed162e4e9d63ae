namespace EcgVision.Encoding;

/// <summary>An <see cref="IEcgImageSource"/> that can also turn an image file (a photo or scan of a printed ECG) into the same model input.</summary>
/// <remarks>
/// The printed-ECG source (a rendered, photo-augmented paper printout, in <c>EcgVision.Imaging</c>) implements this, so a case-retrieval
/// system can answer a query that arrives as a picture instead of a signal. Sources that only work on signals (GAF/RP/MTF images) do not.
/// </remarks>
public interface IEcgImageQuerySource : IEcgImageSource
{
    /// <summary>Decodes an encoded image (PNG or JPEG) and turns it into a model input of <see cref="IEcgImageSource.Shape"/>.</summary>
    /// <param name="image">The encoded image; read to its end, not disposed.</param>
    /// <param name="destination">Receives <c>Channels × Height × Width</c> floats.</param>
    /// <exception cref="InvalidDataException">The stream is not a decodable image.</exception>
    void EncodeImage(Stream image, Span<float> destination);
}
