using System.Globalization;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace EcgVision.Imaging.Io;

/// <summary>Loads a photo or scan of a printed ECG (PNG or JPEG) as a <c>[C, H, W]</c> float tensor at model size.</summary>
/// <remarks>
/// <para>Files are treated as untrusted. Before any pixel is decoded the loader checks the byte length against
/// <see cref="EcgImageLoadOptions.MaxBytes"/>, then reads only the header (ImageSharp <c>Image.Identify</c>) and checks the declared
/// width × height against <see cref="EcgImageLoadOptions.MaxPixels"/>. Only the PNG and JPEG decoders are enabled. Empty, unknown,
/// corrupt or truncated files raise <see cref="EcgFormatException"/> naming the file; ImageSharp's own exception is the inner exception.</para>
/// <para>Pipeline: decode to 8-bit RGB → EXIF auto-orient (optional) → resize (<see cref="EcgImageLoadOptions.Resampler"/>,
/// <see cref="EcgImageLoadOptions.ResizeMode"/>) → channels (RGB or BT.709 luma) → scale to [0, 1] → optional (x − mean) / std.</para>
/// </remarks>
public static class EcgImageLoader
{
    private static readonly Configuration s_configuration = new(new PngConfigurationModule(), new JpegConfigurationModule());

    /// <summary>Loads an image file.</summary>
    /// <param name="path">A PNG or JPEG file.</param>
    /// <param name="options">Size, channels, normalisation and limits; <see langword="null"/> for the defaults (3 × 224 × 224, [0, 1]).</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or an option is invalid.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EcgFormatException">The file is empty, too large, declares too many pixels, is not a PNG/JPEG, or is corrupt or truncated.</exception>
    public static ImageTensor Load(string path, EcgImageLoadOptions? options = null)
    {
        options ??= new EcgImageLoadOptions();
        return Decode(ReadFile(path, options), options, path);
    }

    /// <summary>Validates the options and reads a whole image file within <see cref="EcgImageLoadOptions.MaxBytes"/>.</summary>
    private static byte[] ReadFile(string path, EcgImageLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Validate(options);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        }

        CheckLength(info.Length, options, path);
        byte[] bytes = File.ReadAllBytes(path);
        CheckLength(bytes.Length, options, path);
        return bytes;
    }

    /// <summary>Loads an image from a stream (read to its end, at most <see cref="EcgImageLoadOptions.MaxBytes"/> bytes).</summary>
    /// <param name="stream">The encoded image; left open.</param>
    /// <param name="options">Size, channels, normalisation and limits; <see langword="null"/> for the defaults.</param>
    /// <param name="sourceName">A name for error messages (e.g. the upload's file name); default <c>&lt;stream&gt;</c>.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="EcgFormatException">The data is empty, too large, declares too many pixels, is not a PNG/JPEG, or is corrupt or truncated.</exception>
    public static ImageTensor Load(Stream stream, EcgImageLoadOptions? options = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new EcgImageLoadOptions();
        Validate(options);
        string name = sourceName ?? "<stream>";
        return Decode(ReadBounded(stream, options, name), options, name);
    }

    /// <summary>Converts a rendered paper ECG to a tensor with the same resize and normalisation as a loaded photo.</summary>
    /// <param name="image">A rendered (possibly augmented) page.</param>
    /// <param name="options">Size, channels and normalisation (the byte and pixel limits do not apply); <see langword="null"/> for the defaults.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static ImageTensor FromRendered(PaperEcgImage image, EcgImageLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= new EcgImageLoadOptions();
        Validate(options);
        using var rgb = Image.LoadPixelData<Rgba32>(image.Pixels, image.Width, image.Height).CloneAs<Rgb24>();
        return Process(rgb, options with { AutoOrient = false });
    }

    /// <summary>Loads a file at its native size as packed 8-bit RGB (EXIF-oriented when <see cref="EcgImageLoadOptions.AutoOrient"/>), behind the same limits and checks as <see cref="Load(string, EcgImageLoadOptions?)"/>; the size options are ignored.</summary>
    internal static NativeRgbImage LoadNativeRgb(string path, EcgImageLoadOptions? options = null)
    {
        options ??= new EcgImageLoadOptions();
        return Decode(ReadFile(path, options), options, path, ToNativeRgb);
    }

    /// <summary>Stream version of <see cref="LoadNativeRgb(string, EcgImageLoadOptions?)"/> (read to its end, at most MaxBytes bytes; left open).</summary>
    internal static NativeRgbImage LoadNativeRgb(Stream stream, EcgImageLoadOptions? options = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new EcgImageLoadOptions();
        Validate(options);
        string name = sourceName ?? "<stream>";
        return Decode(ReadBounded(stream, options, name), options, name, ToNativeRgb);
    }

    private static NativeRgbImage ToNativeRgb(Image<Rgb24> image, EcgImageLoadOptions o)
    {
        if (o.AutoOrient)
        {
            image.Mutate(x => x.AutoOrient());
        }

        var data = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(data);
        return new NativeRgbImage(data, image.Width, image.Height);
    }

    /// <summary>Reads an encoded image (PNG/JPEG bytes, not decoded) into memory within <see cref="EcgImageLoadOptions.MaxBytes"/>:
    /// for callers that hand one upload to more than one reader.</summary>
    /// <param name="stream">The encoded image; read to its end, left open.</param>
    /// <param name="options">The limits; <see langword="null"/> for the defaults.</param>
    /// <param name="sourceName">A name for error messages; default <c>&lt;stream&gt;</c>.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="EcgFormatException">The stream holds more than <see cref="EcgImageLoadOptions.MaxBytes"/> bytes (refused without buffering it all).</exception>
    public static byte[] ReadEncoded(Stream stream, EcgImageLoadOptions? options = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new EcgImageLoadOptions();
        Validate(options);
        return ReadBounded(stream, options, sourceName ?? "<stream>");
    }

    private static byte[] ReadBounded(Stream stream, EcgImageLoadOptions options, string name)
    {
        if (stream.CanSeek)
        {
            CheckLength(stream.Length - stream.Position, options, name);
        }

        // Read at most MaxBytes + 1 bytes, so an endless or oversized stream is refused without buffering it all.
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, options.MaxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.MaxBytes)
            {
                CheckLength(buffer.Length, options, name);
            }
        }

        CheckLength(buffer.Length, options, name);
        return buffer.ToArray();
    }

    private static ImageTensor Decode(byte[] bytes, EcgImageLoadOptions options, string name) => Decode(bytes, options, name, Process);

    private static T Decode<T>(byte[] bytes, EcgImageLoadOptions options, string name, Func<Image<Rgb24>, EcgImageLoadOptions, T> process)
    {
        if (bytes.Length == 0)
        {
            throw new EcgFormatException("The image file is empty (0 bytes).", name, "length");
        }

        IImageInfo? info;
        IImageFormat? format;
        try
        {
            using var header = new MemoryStream(bytes, writable: false);
            info = Image.Identify(s_configuration, header, out format);
        }
        catch (Exception ex) when (IsDecodeError(ex))
        {
            throw new EcgFormatException($"The image header is corrupt: {ex.Message}", name, "header", ex);
        }

        if (info is null || format is null)
        {
            throw new EcgFormatException($"Not a PNG or JPEG image (unrecognised signature; first bytes {Convert.ToHexString(bytes, 0, Math.Min(8, bytes.Length))}).", name, "signature");
        }

        long pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0 || pixels > options.MaxPixels)
        {
            throw new EcgFormatException(
                string.Create(CultureInfo.InvariantCulture, $"The {format.Name} header declares {info.Width}×{info.Height} = {pixels} pixels; MaxPixels allows 1 to {options.MaxPixels}. Not decoded."),
                name,
                "dimensions");
        }

        if (format is JpegFormat && !HasJpegEnd(bytes))
        {
            // ImageSharp pads a truncated JPEG scan with grey instead of failing; a missing EOI marker is the reliable sign.
            throw new EcgFormatException("The JPEG data is truncated (no end-of-image marker FFD9).", name, "EOI");
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using Image<Rgb24> image = Image.Load<Rgb24>(s_configuration, stream);
            return process(image, options);
        }
        catch (Exception ex) when (IsDecodeError(ex))
        {
            throw new EcgFormatException($"The {format.Name} image is corrupt or truncated: {ex.Message}", name, "pixels", ex);
        }
    }

    private static bool HasJpegEnd(byte[] bytes)
    {
        // Trailing bytes after EOI are common (padding, appended data); look for FFD9 in the last 64 KiB.
        int start = Math.Max(1, bytes.Length - 65536);
        for (int i = bytes.Length - 1; i >= start; i--)
        {
            if (bytes[i] == 0xD9 && bytes[i - 1] == 0xFF)
            {
                return true;
            }
        }

        return false;
    }

    // The decoders only ever see a private copy of the bytes, so any of these comes from corrupt data. ImageSharp 2.1.13's
    // JPEG decoder throws NullReferenceException on some corrupt headers (Identify) and scans (CopyBlocksToColorBuffer);
    // both were found by fuzzing (docs/fuzzing.md) and are reported as EcgFormatException like every other corrupt file.
    private static bool IsDecodeError(Exception ex) =>
        ex is ImageFormatException or NotSupportedException or InvalidDataException or EndOfStreamException or IndexOutOfRangeException
            or ArgumentException or NullReferenceException;

    private static ImageTensor Process(Image<Rgb24> image, EcgImageLoadOptions o)
    {
        image.Mutate(x =>
        {
            if (o.AutoOrient)
            {
                x.AutoOrient();
            }

            x.Resize(new ResizeOptions
            {
                Size = new Size(o.Width, o.Height),
                Mode = o.ResizeMode == EcgImageResizeMode.Pad ? ResizeMode.Pad : ResizeMode.Stretch,
                Sampler = Sampler(o.Resampler),
                PadColor = Color.White,
            });
        });

        int plane = o.Width * o.Height;
        var data = new float[o.Channels * plane];
        var pixels = new Rgb24[plane];
        image.CopyPixelDataTo(pixels);
        for (int y = 0; y < o.Height; y++)
        {
            for (int x = 0; x < o.Width; x++)
            {
                int i = y * o.Width + x;
                Rgb24 p = pixels[i];
                if (o.Channels == 3)
                {
                    data[i] = p.R / 255f;
                    data[plane + i] = p.G / 255f;
                    data[2 * plane + i] = p.B / 255f;
                }
                else
                {
                    data[i] = (0.2126f * p.R + 0.7152f * p.G + 0.0722f * p.B) / 255f;
                }
            }
        }

        if (o.Mean is not null && o.Std is not null)
        {
            for (int c = 0; c < o.Channels; c++)
            {
                float mean = o.Mean[c], invStd = 1f / o.Std[c];
                Span<float> p = data.AsSpan(c * plane, plane);
                for (int i = 0; i < p.Length; i++)
                {
                    p[i] = (p[i] - mean) * invStd;
                }
            }
        }

        return new ImageTensor(data, o.Channels, o.Height, o.Width);
    }

    private static IResampler Sampler(EcgImageResampler r) => r switch
    {
        EcgImageResampler.Bilinear => KnownResamplers.Triangle,
        EcgImageResampler.Bicubic => KnownResamplers.Bicubic,
        EcgImageResampler.Lanczos3 => KnownResamplers.Lanczos3,
        EcgImageResampler.Box => KnownResamplers.Box,
        EcgImageResampler.NearestNeighbor => KnownResamplers.NearestNeighbor,
        _ => throw new NotSupportedException($"Resampler value {(int)r} is not a defined {nameof(EcgImageResampler)}."),
    };

    private static void CheckLength(long length, EcgImageLoadOptions o, string name)
    {
        if (length > o.MaxBytes)
        {
            throw new EcgFormatException(
                string.Create(CultureInfo.InvariantCulture, $"The image is {length} bytes or more; MaxBytes allows {o.MaxBytes}. Not decoded."),
                name,
                "length");
        }
    }

    private static void Validate(EcgImageLoadOptions o)
    {
        if (o.Width is < 1 or > 8192 || o.Height is < 1 or > 8192)
        {
            throw new ArgumentException($"Width and Height must be between 1 and 8192 (got {o.Width}×{o.Height}).", "options");
        }

        if (o.Channels is not (1 or 3))
        {
            throw new ArgumentException($"Channels must be 1 or 3 (got {o.Channels}).", "options");
        }

        if (o.MaxBytes < 1 || o.MaxPixels < 1)
        {
            throw new ArgumentException($"MaxBytes and MaxPixels must be positive (got {o.MaxBytes} and {o.MaxPixels}).", "options");
        }

        if (!Enum.IsDefined(o.ResizeMode))
        {
            throw new NotSupportedException($"ResizeMode value {(int)o.ResizeMode} is not a defined {nameof(EcgImageResizeMode)}.");
        }

        _ = Sampler(o.Resampler);
        if ((o.Mean is null) != (o.Std is null))
        {
            throw new ArgumentException("Mean and Std must be given together or both left null.", "options");
        }

        if (o.Mean is not null && o.Std is not null)
        {
            if (o.Mean.Count != o.Channels || o.Std.Count != o.Channels)
            {
                throw new ArgumentException($"Mean and Std must have one value per channel ({o.Channels}) (got {o.Mean.Count} and {o.Std.Count}).", "options");
            }

            foreach (float s in o.Std)
            {
                if (!(s > 0) || !float.IsFinite(s))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Std values must be finite and positive (got {s})."), "options");
                }
            }
        }
    }
}

/// <summary>A decoded image at its native size: packed 8-bit R, G, B, row-major, <c>Width × Height × 3</c> bytes.</summary>
internal readonly record struct NativeRgbImage(byte[] Data, int Width, int Height);
