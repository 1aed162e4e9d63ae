using System.Globalization;
using EcgVision.Encoding;
using EcgVision.Imaging.Io;
using EcgVision.Signals;

namespace EcgVision.Imaging.Rendering;

/// <summary>An <see cref="IEcgImageSource"/> that prints the record as a paper ECG, optionally photographs it (augmentation),
/// and turns the page into a small model image; <see cref="EncodePhoto(string, Span{float})"/> puts a real photo or scan into the same format.</summary>
/// <remarks>
/// <para>Pipeline: <see cref="PaperEcgRenderer"/> at <see cref="PrintoutImageSourceOptions.Dpi"/> (3 × 4 + rhythm strip, no header
/// line) → with a seed, <see cref="PaperEcgAugmenter"/> → <see cref="EcgImageLoader.FromRendered"/> (antialiased bilinear resize of the
/// whole landscape page to a <c>Size × Size</c> square, i.e. the page is squeezed horizontally by 11/8.5 — the ViT takes square inputs
/// only, and letterboxing would waste a quarter of the pixels) → normalisation.</para>
/// <para>Normalisation, per image and per channel: <c>ink = 1 − level/255</c> (trace ≈ 1, paper ≈ 0), then standardised to zero mean
/// and unit variance (<c>(ink − mean) / max(std, 1e-3)</c>). Standardising removes most of the brightness, contrast and line-weight
/// differences between a 50-DPI rendering and a 200-DPI scan or a dim phone photo. Values are therefore unbounded (typically −1 to 10).</para>
/// <para>Output shape <c>[Channels, Size, Size]</c>; one channel is BT.709 luma. The source is immutable and thread-safe.</para>
/// <para>As an <see cref="IEcgImageQuerySource"/> it lets a case-retrieval system answer photo queries: <see cref="EncodeImage"/> is
/// <see cref="EncodePhoto(Stream, Span{float}, string?)"/>. <c>EcgImageSourceRegistry</c> (EcgVision.Torch) rebuilds it from its descriptor.</para>
/// </remarks>
public sealed class PrintoutImageSource : IEcgImageQuerySource
{
    /// <summary>The <see cref="EcgImageSourceDescriptor.Kind"/> of this source.</summary>
    public const string Kind = "printout";

    private readonly PaperEcgRenderer _renderer;
    private readonly PaperEcgAugmenter? _augmenter;
    private readonly EcgImageLoadOptions _loadOptions;

    /// <summary>The augmentation of <see cref="PrintoutAugmentation.Fast"/>: <see cref="PaperEcgAugmentationOptions.Default"/> without the
    /// JPEG round trip and creases, the two effects that cost most per pixel and matter least once the page is shrunk to the model size.</summary>
    public static PaperEcgAugmentationOptions FastAugmentation { get; } = PaperEcgAugmentationOptions.Default with
    {
        CreaseProbability = 0,
        JpegProbability = 0,
    };

    /// <summary>Creates the source.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">Size, Channels or Dpi is out of range.</exception>
    /// <exception cref="NotSupportedException">Augmentation, Layout or GridColors is not a defined value.</exception>
    public PrintoutImageSource(PrintoutImageSourceOptions? options = null)
    {
        options ??= new PrintoutImageSourceOptions();
        if (options.Size is < 16 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Size, $"Size must be between 16 and 1024 (got {options.Size}).");
        }

        if (options.Channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Channels, $"Channels must be 1 or 3 (got {options.Channels}).");
        }

        if (!(options.Dpi >= 50 && options.Dpi <= 300))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Dpi, string.Create(CultureInfo.InvariantCulture, $"Dpi must be between 50 and 300 (got {options.Dpi})."));
        }

        if (!Enum.IsDefined(options.Layout))
        {
            throw new NotSupportedException($"Layout {options.Layout} is not supported.");
        }

        if (!Enum.IsDefined(options.GridColors))
        {
            throw new NotSupportedException($"GridColors {options.GridColors} is not supported.");
        }

        _augmenter = options.Augmentation switch
        {
            PrintoutAugmentation.None => null,
            PrintoutAugmentation.Fast => new PaperEcgAugmenter(FastAugmentation),
            PrintoutAugmentation.Default => new PaperEcgAugmenter(PaperEcgAugmentationOptions.Default),
            PrintoutAugmentation.Strong => new PaperEcgAugmenter(PaperEcgAugmentationOptions.Strong),
            _ => throw new NotSupportedException($"Augmentation {options.Augmentation} is not supported."),
        };

        Options = options;
        _renderer = new PaperEcgRenderer(new PaperEcgRenderOptions
        {
            Dpi = options.Dpi,
            Layout = options.Layout,
            GridColors = options.GridColors,
            ShowHeader = false,
        });
        _loadOptions = new EcgImageLoadOptions
        {
            Width = options.Size,
            Height = options.Size,
            Channels = options.Channels,
            ResizeMode = EcgImageResizeMode.Stretch,
            Resampler = EcgImageResampler.Bilinear,
        };
        Shape = (options.Channels, options.Size, options.Size);
        Descriptor = new EcgImageSourceDescriptor(Kind, options.Size, new Dictionary<string, string>
        {
            ["channels"] = options.Channels.ToString(CultureInfo.InvariantCulture),
            ["dpi"] = options.Dpi.ToString("R", CultureInfo.InvariantCulture),
            ["layout"] = options.Layout.ToString(),
            ["grid"] = options.GridColors.ToString(),
            ["augmentation"] = options.Augmentation.ToString(),
        });
    }

    /// <summary>The settings this source was created with.</summary>
    public PrintoutImageSourceOptions Options { get; }

    /// <inheritdoc/>
    public EcgImageSourceDescriptor Descriptor { get; }

    /// <inheritdoc/>
    public (int Channels, int Height, int Width) Shape { get; }

    /// <summary>Number of floats one image takes: <c>Channels × Size × Size</c>.</summary>
    public int ImageLength => Shape.Channels * Shape.Height * Shape.Width;

    /// <summary>Recreates a source from its <see cref="Descriptor"/> (e.g. one stored with a model).</summary>
    /// <param name="descriptor">A descriptor of kind <c>printout</c>; missing settings take their defaults.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The kind is not <c>printout</c>, or a setting cannot be parsed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static PrintoutImageSource FromDescriptor(EcgImageSourceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!string.Equals(descriptor.Kind, Kind, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Descriptor kind must be '{Kind}' (got '{descriptor.Kind}').", nameof(descriptor));
        }

        var options = new PrintoutImageSourceOptions { Size = descriptor.Size };
        IReadOnlyDictionary<string, string> s = descriptor.Settings ?? new Dictionary<string, string>();
        if (s.TryGetValue("channels", out string? channels))
        {
            options = options with { Channels = Parse(channels, "channels", v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) ? x : (int?)null) };
        }

        if (s.TryGetValue("dpi", out string? dpi))
        {
            options = options with { Dpi = Parse(dpi, "dpi", v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : (double?)null) };
        }

        if (s.TryGetValue("layout", out string? layout))
        {
            options = options with { Layout = ParseEnum<PaperEcgLayout>(layout, "layout") };
        }

        if (s.TryGetValue("grid", out string? grid))
        {
            options = options with { GridColors = ParseEnum<GridColorScheme>(grid, "grid") };
        }

        if (s.TryGetValue("augmentation", out string? augmentation))
        {
            options = options with { Augmentation = ParseEnum<PrintoutAugmentation>(augmentation, "augmentation") };
        }

        return new PrintoutImageSource(options);
    }

    /// <inheritdoc/>
    /// <remarks>With a seed (and augmentation not <see cref="PrintoutAugmentation.None"/>) the page is photo-augmented; the same
    /// record and seed always give the same image. A record shorter than 10 s leaves the rest of the page blank.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="ImageLength"/>.</exception>
    /// <exception cref="KeyNotFoundException">The record lacks one of the 12 standard leads.</exception>
    public void Encode(EcgRecord record, Span<float> destination, int? augmentationSeed = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        CheckDestination(destination);
        PaperEcgImage page = _renderer.Render(Decimate(record));
        if (augmentationSeed is int seed && _augmenter is not null)
        {
            page = _augmenter.Augment(page, seed);
        }

        Normalize(EcgImageLoader.FromRendered(page, _loadOptions), destination);
    }

    /// <summary>Loads a photo or scan of a printed ECG (PNG or JPEG) into the same tensor format as <see cref="Encode"/>.</summary>
    /// <param name="path">The image file; decoded behind <see cref="EcgImageLoader"/>'s byte and pixel limits, EXIF-oriented.</param>
    /// <param name="destination">Receives <see cref="ImageLength"/> floats, <c>[Channels, Size, Size]</c>.</param>
    /// <remarks>The whole picture is squeezed to the square, as a rendered page is: crop a photo to the paper for best results.</remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or <paramref name="destination"/> is too short.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EcgFormatException">The file is empty, too large, not a PNG/JPEG, or corrupt.</exception>
    public void EncodePhoto(string path, Span<float> destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckDestination(destination);
        Normalize(EcgImageLoader.Load(path, _loadOptions), destination);
    }

    /// <summary>Loads a photo or scan of a printed ECG from a stream into the same tensor format as <see cref="Encode"/>.</summary>
    /// <param name="stream">The encoded PNG or JPEG; read to its end and left open.</param>
    /// <param name="destination">Receives <see cref="ImageLength"/> floats, <c>[Channels, Size, Size]</c>.</param>
    /// <param name="sourceName">A name for error messages (e.g. the upload's file name).</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="EcgFormatException">The data is empty, too large, not a PNG/JPEG, or corrupt.</exception>
    public void EncodePhoto(Stream stream, Span<float> destination, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckDestination(destination);
        Normalize(EcgImageLoader.Load(stream, _loadOptions, sourceName), destination);
    }

    /// <inheritdoc/>
    /// <remarks>The same as <see cref="EncodePhoto(Stream, Span{float}, string?)"/>: decoded behind <see cref="EcgImageLoader"/>'s limits.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The data is empty, too large, not a PNG/JPEG, or corrupt (wraps the loader's <see cref="EcgFormatException"/>).</exception>
    public void EncodeImage(Stream image, Span<float> destination)
    {
        try
        {
            EncodePhoto(image, destination);
        }
        catch (EcgFormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    /// <summary>Min/max decimation to about two points per pixel column, so the renderer strokes ~5× fewer segments at low DPI while
    /// every peak (QRS tips, pacing spikes) keeps its drawn height.</summary>
    private EcgRecord Decimate(EcgRecord record)
    {
        double pixelsPerSecond = 25 * Options.Dpi / 25.4;
        int block = (int)(record.SamplingRate / pixelsPerSecond);
        if (block < 3 || record.SampleCount < 2 * block)
        {
            return record;
        }

        int leads = record.LeadCount, blocks = record.SampleCount / block;
        var data = new float[leads * blocks * 2];
        for (int lead = 0; lead < leads; lead++)
        {
            ReadOnlySpan<float> x = record.GetLead(lead);
            Span<float> y = data.AsSpan(lead * blocks * 2, blocks * 2);
            for (int b = 0; b < blocks; b++)
            {
                int start = b * block, iMin = -1, iMax = -1;
                for (int i = start; i < start + block; i++)
                {
                    if (float.IsFinite(x[i]))
                    {
                        if (iMin < 0 || x[i] < x[iMin])
                        {
                            iMin = i;
                        }

                        if (iMax < 0 || x[i] > x[iMax])
                        {
                            iMax = i;
                        }
                    }
                }

                // Keep temporal order; a block without a finite sample stays a gap (the pen lifts on NaN).
                y[2 * b] = iMin < 0 ? float.NaN : x[Math.Min(iMin, iMax)];
                y[(2 * b) + 1] = iMin < 0 ? float.NaN : x[Math.Max(iMin, iMax)];
            }
        }

        return new EcgRecord(data, record.SamplingRate * 2 / block, [.. record.LeadNames], record.Metadata);
    }

    private void CheckDestination(Span<float> destination)
    {
        if (destination.Length < ImageLength)
        {
            throw new ArgumentException(
                $"destination must hold Channels × Size × Size = {Shape.Channels} × {Shape.Height} × {Shape.Width} = {ImageLength} floats (got {destination.Length}).",
                nameof(destination));
        }
    }

    private void Normalize(ImageTensor image, Span<float> destination)
    {
        int plane = Shape.Height * Shape.Width;
        ReadOnlySpan<float> data = image.Data;
        for (int c = 0; c < Shape.Channels; c++)
        {
            ReadOnlySpan<float> x = data.Slice(c * plane, plane);
            Span<float> y = destination.Slice(c * plane, plane);
            double sum = 0, sumSquares = 0;
            for (int i = 0; i < plane; i++)
            {
                float ink = 1f - x[i];
                y[i] = ink;
                sum += ink;
                sumSquares += (double)ink * ink;
            }

            double mean = sum / plane;
            double std = Math.Sqrt(Math.Max(0, (sumSquares / plane) - (mean * mean)));
            float m = (float)mean, inv = (float)(1 / Math.Max(std, 1e-3));
            for (int i = 0; i < plane; i++)
            {
                y[i] = (y[i] - m) * inv;
            }
        }
    }

    private static T Parse<T>(string value, string name, Func<string, T?> parse)
        where T : struct =>
        parse(value) ?? throw new ArgumentException($"Descriptor setting '{name}' must be a number (got '{value}').", "descriptor");

    private static T ParseEnum<T>(string value, string name)
        where T : struct, Enum =>
        Enum.TryParse(value, ignoreCase: true, out T result) && Enum.IsDefined(result)
            ? result
            : throw new ArgumentException($"Descriptor setting '{name}' must be one of {string.Join(", ", Enum.GetNames<T>())} (got '{value}').", "descriptor");
}
