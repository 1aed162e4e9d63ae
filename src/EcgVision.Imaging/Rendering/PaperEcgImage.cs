using EcgVision.Imaging.Internal;
using EcgVision.Internal;

namespace EcgVision.Imaging.Rendering;

/// <summary>A rendered (and possibly augmented) paper ECG: 8-bit RGBA pixels plus the bounding box of every plotted lead.</summary>
/// <remarks>Pixels are row-major, 4 bytes per pixel in R, G, B, A order, alpha always 255. Instances are immutable.</remarks>
public sealed class PaperEcgImage
{
    private readonly byte[] _pixels;

    /// <summary>Wraps an RGBA8888 buffer (library-internal: takes ownership, no copy).</summary>
    internal PaperEcgImage(byte[] rgba, int width, int height, double dpi, IReadOnlyList<LeadBoundingBox> leadBoxes)
    {
        _pixels = rgba;
        Width = width;
        Height = height;
        Dpi = dpi;
        LeadBoxes = leadBoxes;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The resolution the page was rendered at (dots per inch), written into the PNG's pHYs chunk.</summary>
    public double Dpi { get; }

    /// <summary>RGBA8888 pixels, row-major, <c>Width × Height × 4</c> bytes.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>RGBA8888 pixels as memory (for APIs that cannot take a span).</summary>
    public ReadOnlyMemory<byte> PixelMemory => _pixels;

    /// <summary>The bounding box of every plotted lead segment that holds data, in plot order (grid cells column by column, then the rhythm strip).</summary>
    /// <remarks>After a geometric augmentation the boxes are the axis-aligned hulls of the transformed boxes, clipped to the image.</remarks>
    public IReadOnlyList<LeadBoundingBox> LeadBoxes { get; }

    /// <summary>Encodes the image as an 8-bit RGB PNG.</summary>
    /// <param name="destination">The stream to write to; left open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    public void WritePng(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        PngEncoding.WriteRgba(_pixels, Width, Height, Dpi, destination);
    }

    /// <summary>Encodes the image as an 8-bit RGB PNG in memory.</summary>
    /// <returns>The PNG bytes.</returns>
    public byte[] EncodePng()
    {
        using var ms = new MemoryStream();
        WritePng(ms);
        return ms.ToArray();
    }

    /// <summary>Saves <see cref="LeadBoxes"/> as a JSON array (<c>[{"Lead":"I","X":…,"Y":…,"Width":…,"Height":…,"IsRhythmStrip":false}, …]</c>), atomically.</summary>
    /// <param name="path">The target file (e.g. beside the PNG, with a <c>.json</c> extension).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public void SaveLeadBoxesJson(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(LeadBoxes, s_json));
    }

    private static readonly System.Text.Json.JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>Saves the image as an 8-bit RGB PNG, atomically (temporary file, then rename).</summary>
    /// <param name="path">The target file.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public void SavePng(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, WritePng);
    }
}
