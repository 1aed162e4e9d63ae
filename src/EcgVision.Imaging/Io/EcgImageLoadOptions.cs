namespace EcgVision.Imaging.Io;

/// <summary>How a photo or scan is fitted to the model input size.</summary>
public enum EcgImageResizeMode
{
    /// <summary>Scale width and height independently to the target size (the aspect ratio is not kept).</summary>
    Stretch = 0,

    /// <summary>Keep the aspect ratio, scale to fit inside the target, and pad the rest with white (letterbox).</summary>
    Pad = 1,
}

/// <summary>The resampling filter used for resizing (ImageSharp's resamplers; all widen their kernel when downscaling, so they average rather than skip pixels).</summary>
public enum EcgImageResampler
{
    /// <summary>Triangle (bilinear) filter; the default, like torchvision's <c>Resize</c> (bilinear, antialias).</summary>
    Bilinear = 0,

    /// <summary>Bicubic filter (Catmull-Rom-like, a = −0.5): sharper, may ring slightly.</summary>
    Bicubic = 1,

    /// <summary>Lanczos filter with 3 lobes: sharpest, most ringing.</summary>
    Lanczos3 = 2,

    /// <summary>Box filter: plain area average.</summary>
    Box = 3,

    /// <summary>Nearest neighbour: no averaging (thin trace lines may vanish when downscaling).</summary>
    NearestNeighbor = 4,
}

/// <summary>Options for <see cref="EcgImageLoader"/>: output size and channels, resizing, normalisation and limits on untrusted input.</summary>
/// <remarks>
/// Output values: each 8-bit level L becomes L / 255 in [0, 1]; when <see cref="Mean"/> and <see cref="Std"/> are given, channel c then
/// becomes (x − Mean[c]) / Std[c]. One channel is BT.709 luma: 0.2126 R + 0.7152 G + 0.0722 B, computed after resizing.
/// </remarks>
public sealed record EcgImageLoadOptions
{
    /// <summary>ImageNet channel means (R, G, B), as torchvision uses.</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet channel standard deviations (R, G, B).</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>OpenAI CLIP channel means (R, G, B), as open_clip uses.</summary>
    public static IReadOnlyList<float> ClipMean { get; } = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>OpenAI CLIP channel standard deviations (R, G, B).</summary>
    public static IReadOnlyList<float> ClipStd { get; } = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>Output width in pixels; default 224, allowed 1–8192.</summary>
    public int Width { get; init; } = 224;

    /// <summary>Output height in pixels; default 224, allowed 1–8192.</summary>
    public int Height { get; init; } = 224;

    /// <summary>Output channels: 3 (R, G, B; default) or 1 (BT.709 luma).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>How the image is fitted to Width × Height; default <see cref="EcgImageResizeMode.Stretch"/>.</summary>
    public EcgImageResizeMode ResizeMode { get; init; } = EcgImageResizeMode.Stretch;

    /// <summary>The resampling filter; default <see cref="EcgImageResampler.Bilinear"/>.</summary>
    public EcgImageResampler Resampler { get; init; } = EcgImageResampler.Bilinear;

    /// <summary>Per-channel means subtracted after scaling to [0, 1]; <see langword="null"/> (default) for none. One value per output channel.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviations divided by after subtracting <see cref="Mean"/>; <see langword="null"/> (default) for none. Positive, one per channel.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Whether to apply the EXIF orientation (phone photos are often stored rotated); default <see langword="true"/>.</summary>
    public bool AutoOrient { get; init; } = true;

    /// <summary>Largest accepted file size in bytes, checked before anything is decoded; default 64 MiB.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest accepted width × height declared in the file header, checked before the pixels are decoded; default 50 megapixels.</summary>
    public long MaxPixels { get; init; } = 50_000_000;
}
