using EcgVision.Signals;

namespace EcgVision.Encoding;

/// <summary>Turns a whole ECG record into one model-ready image <c>[C, H, W]</c>: the input side of an image tower.</summary>
/// <remarks>
/// Implementations: <see cref="QiuImageSource"/> (the paper's beat-based GASF/RP/MTF image), <see cref="MultiLeadImageSource"/>
/// (any list of encodings over the whole recording, leads tiled) and, in <c>EcgVision.Imaging</c>, a rendered paper printout with
/// photo-like augmentation. A model is trained and queried through the same source, so the source's <see cref="Descriptor"/>
/// is saved with the model.
/// </remarks>
public interface IEcgImageSource
{
    /// <summary>A stable, serialisable description (kind plus settings) from which the source can be recreated.</summary>
    EcgImageSourceDescriptor Descriptor { get; }

    /// <summary>The image shape this source produces.</summary>
    (int Channels, int Height, int Width) Shape { get; }

    /// <summary>Encodes a record.</summary>
    /// <param name="record">A record with the 12 standard leads.</param>
    /// <param name="destination">Receives <c>Channels × Height × Width</c> floats.</param>
    /// <param name="augmentationSeed"><see langword="null"/> for the deterministic, un-augmented image (queries, evaluation);
    /// a seed for a training-time variant (sources without augmentation ignore it).</param>
    void Encode(EcgRecord record, Span<float> destination, int? augmentationSeed = null);
}

/// <summary>The serialisable identity of an <see cref="IEcgImageSource"/>: its kind and its settings.</summary>
/// <param name="Kind">The source kind, e.g. <c>qiu</c>, <c>multilead</c>, <c>printout</c>.</param>
/// <param name="Size">Output side length in pixels.</param>
/// <param name="Settings">Further kind-specific settings (name → invariant-culture value).</param>
public sealed record EcgImageSourceDescriptor(string Kind, int Size, IReadOnlyDictionary<string, string>? Settings = null);

/// <summary>The Qiu et al. preset as an image source: one filtered beat per lead, GASF + RP + MTF, tiled, resized.</summary>
public sealed class QiuImageSource : IEcgImageSource
{
    private readonly QiuImageEncoder _encoder;

    /// <summary>Creates the source.</summary>
    /// <param name="size">Output side length (the paper: 224; CPU demos use 64–96).</param>
    /// <param name="beatSelection">Which beat each lead contributes (<see cref="QiuImageOptions.BeatSelection"/>); the paper's
    /// <see cref="QiuBeatSelection.Simultaneous"/> by default. <see cref="QiuBeatSelection.PrintedLayout"/> makes photos of printouts
    /// (digitised) encode like their signals.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1, or <paramref name="beatSelection"/> is undefined.</exception>
    public QiuImageSource(int size = 224, QiuBeatSelection beatSelection = QiuBeatSelection.Simultaneous)
    {
        if (!Enum.IsDefined(beatSelection))
        {
            throw new ArgumentOutOfRangeException(nameof(beatSelection), beatSelection, "beatSelection must be Simultaneous or PrintedLayout.");
        }

        _encoder = new QiuImageEncoder(new QiuImageOptions { OutputSize = size, BeatSelection = beatSelection });
        Descriptor = beatSelection == QiuBeatSelection.Simultaneous
            ? new EcgImageSourceDescriptor("qiu", size)
            : new EcgImageSourceDescriptor("qiu", size, new Dictionary<string, string> { [BeatsSetting] = beatSelection.ToString() });
    }

    /// <summary>The descriptor setting that holds a non-default <see cref="QiuBeatSelection"/> (absent = the paper's simultaneous beats).</summary>
    public const string BeatsSetting = "beats";

    /// <summary>Which beat each lead contributes.</summary>
    public QiuBeatSelection BeatSelection => _encoder.Options.BeatSelection;

    /// <inheritdoc/>
    public EcgImageSourceDescriptor Descriptor { get; }

    /// <inheritdoc/>
    public (int Channels, int Height, int Width) Shape => _encoder.OutputShape;

    /// <inheritdoc/>
    public void Encode(EcgRecord record, Span<float> destination, int? augmentationSeed = null) => _encoder.EncodeRecord(record, destination);
}

/// <summary>Whole-recording encodings (default GASF, RP, MTF as three channels) with the 12 leads tiled 3 × 4, resized to a square.</summary>
public sealed class MultiLeadImageSource : IEcgImageSource
{
    private readonly MultiLeadImageComposer _composer;

    /// <summary>Creates the source.</summary>
    /// <param name="size">Output side length.</param>
    /// <param name="tileSize">Per-lead image size before tiling (computed through PAA).</param>
    /// <param name="methods">Encodings, one channel each; <see langword="null"/> for GASF, RP, MTF.</param>
    public MultiLeadImageSource(int size = 96, int tileSize = 32, IReadOnlyList<ImageEncodingMethod>? methods = null)
    {
        var options = new MultiLeadImageOptions { ImageSize = tileSize, OutputSize = size };
        if (methods is not null)
        {
            options = options with { Methods = methods };
        }

        _composer = new MultiLeadImageComposer(options);
        Shape = (options.Methods.Count, size, size);
        Descriptor = new EcgImageSourceDescriptor("multilead", size, new Dictionary<string, string>
        {
            ["tileSize"] = tileSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["methods"] = string.Join(",", options.Methods),
        });
    }

    /// <inheritdoc/>
    public EcgImageSourceDescriptor Descriptor { get; }

    /// <inheritdoc/>
    public (int Channels, int Height, int Width) Shape { get; }

    /// <inheritdoc/>
    public void Encode(EcgRecord record, Span<float> destination, int? augmentationSeed = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        _composer.Encode(record.ToStandardTwelveLead(), destination);
    }
}
