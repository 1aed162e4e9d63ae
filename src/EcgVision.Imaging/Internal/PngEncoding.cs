using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace EcgVision.Imaging.Internal;

/// <summary>PNG encoding through ImageSharp's managed encoder (deterministic: no timestamps, managed zlib).</summary>
internal static class PngEncoding
{
    private static readonly PngEncoder s_rgbEncoder = new()
    {
        ColorType = PngColorType.Rgb,
        BitDepth = PngBitDepth.Bit8,
        CompressionLevel = PngCompressionLevel.DefaultCompression,
        // "Up" beats adaptive filtering on ruled paper: smaller files (about 500 KB for a 200-DPI page) and faster encoding.
        FilterMethod = PngFilterMethod.Up,
        ChunkFilter = PngChunkFilter.ExcludeAll ^ PngChunkFilter.ExcludePhysicalChunk,
    };

    /// <summary>Encodes RGBA8888 pixels (alpha ignored) as an 8-bit RGB PNG.</summary>
    public static void WriteRgba(ReadOnlySpan<byte> rgba, int width, int height, double? dpi, Stream destination)
    {
        using var image = Image.LoadPixelData<Rgba32>(rgba, width, height);
        SetDpi(image.Metadata, dpi);
        image.SaveAsPng(destination, s_rgbEncoder);
    }

    /// <summary>Encodes RGB24 pixels as an 8-bit RGB PNG.</summary>
    public static void WriteRgb(ReadOnlySpan<byte> rgb, int width, int height, Stream destination)
    {
        using var image = Image.LoadPixelData<Rgb24>(rgb, width, height);
        SetDpi(image.Metadata, null);
        image.SaveAsPng(destination, s_rgbEncoder);
    }

    private static void SetDpi(ImageMetadata metadata, double? dpi)
    {
        metadata.ResolutionUnits = PixelResolutionUnit.PixelsPerInch;
        metadata.HorizontalResolution = dpi ?? 72;
        metadata.VerticalResolution = dpi ?? 72;
    }
}
