using System.Buffers;
using System.Runtime.ExceptionServices;
using EcgVision.Signals;

namespace EcgVision.Encoding;

/// <summary>An image encoding of one lead, as used by <see cref="MultiLeadImageComposer"/>.</summary>
public enum ImageEncodingMethod
{
    /// <summary>Gramian angular summation field (<see cref="GramianAngularFieldEncoder"/>, <see cref="GramianAngularFieldMethod.Summation"/>).</summary>
    GramianAngularSummationField,

    /// <summary>Gramian angular difference field (<see cref="GramianAngularFieldEncoder"/>, <see cref="GramianAngularFieldMethod.Difference"/>).</summary>
    GramianAngularDifferenceField,

    /// <summary>Markov transition field (<see cref="MarkovTransitionFieldEncoder"/>).</summary>
    MarkovTransitionField,

    /// <summary>Recurrence plot (<see cref="RecurrencePlotEncoder"/>).</summary>
    RecurrencePlot,
}

/// <summary>How <see cref="MultiLeadImageComposer"/> arranges leads and methods into channels.</summary>
public enum MultiLeadLayout
{
    /// <summary>One channel per lead per method, method-major: channel <c>m·L + l</c> is method <c>m</c> of lead <c>l</c>; each <c>ImageSize²</c>.</summary>
    ChannelPerLead,

    /// <summary>
    /// One channel per method; the lead images are tiled <c>TileRows × TileColumns</c>, column-major (column <c>c</c> holds leads
    /// <c>c·TileRows … c·TileRows + TileRows − 1</c>: I, II, III | aVR, aVL, aVF | V1, V2, V3 | V4, V5, V6 for 3 × 4). Unused tiles are 0.
    /// </summary>
    Tiled,

    /// <summary>One channel per method; the leads are concatenated end to end (lead-major) into one signal, which is encoded once.</summary>
    Concatenated,
}

/// <summary>Options of <see cref="MultiLeadImageComposer"/>.</summary>
public sealed record MultiLeadImageOptions
{
    /// <summary>The encodings, one channel group each, in channel order. Default GASF, RP, MTF (Qiu et al.).</summary>
    public IReadOnlyList<ImageEncodingMethod> Methods { get; init; } =
        [ImageEncodingMethod.GramianAngularSummationField, ImageEncodingMethod.RecurrencePlot, ImageEncodingMethod.MarkovTransitionField];

    /// <summary>Channel arrangement. Default <see cref="MultiLeadLayout.Tiled"/>.</summary>
    public MultiLeadLayout Layout { get; init; } = MultiLeadLayout.Tiled;

    /// <summary>
    /// Side length of each encoded image (per lead, or of the concatenated signal), reached by PAA so that long leads are never
    /// encoded at full resolution. Default 64.
    /// </summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>Final side length: the composed image is bilinearly resized to <c>OutputSize × OutputSize</c>; <see langword="null"/> keeps the native size. Default 224.</summary>
    public int? OutputSize { get; init; } = 224;

    /// <summary>Tile rows for <see cref="MultiLeadLayout.Tiled"/>. Default 3.</summary>
    public int TileRows { get; init; } = 3;

    /// <summary>Tile columns for <see cref="MultiLeadLayout.Tiled"/>. Default 4.</summary>
    public int TileColumns { get; init; } = 4;

    /// <summary>Gramian angular field settings; <c>ImageSize</c> and <c>Method</c> are set by the composer.</summary>
    public GramianAngularFieldOptions GramianAngularField { get; init; } = new();

    /// <summary>Markov transition field settings; <c>ImageSize</c> is set by the composer. Default: constant leads allowed (all-ones field).</summary>
    public MarkovTransitionFieldOptions MarkovTransitionField { get; init; } = new() { ThrowOnConstantSignal = false };

    /// <summary>Recurrence plot settings; <c>ImageSize</c> is set by the composer.</summary>
    public RecurrencePlotOptions RecurrencePlot { get; init; } = new();
}

/// <summary>Composes per-lead image encodings of a multi-lead ECG into one model-ready float tensor <c>[C, H, W]</c>.</summary>
/// <remarks>
/// <para>Input is lead-major <c>[leads, samples]</c> (an <see cref="EcgRecord"/>'s layout). Output is float32 row-major
/// <c>[C, H, W]</c>, ready for <c>torch.tensor(data, [C, H, W])</c>; see <see cref="MultiLeadLayout"/> for the channel order.
/// Channel value ranges follow the encoders: GAF [−1, 1], MTF [0, 1], RP ≥ 0.</para>
/// <para>Thread-safe: scratch memory is pooled per call. <see cref="EncodeBatch"/> uses all cores and is deterministic.</para>
/// </remarks>
public sealed class MultiLeadImageComposer
{
    private readonly MultiLeadImageOptions _options;
    private readonly IEcgImageEncoder[] _encoders;

    /// <summary>Creates the composer.</summary>
    /// <param name="options">Options; <see langword="null"/> means the defaults.</param>
    /// <exception cref="ArgumentException">No methods are given, or a nested options object is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or tile count is below 1, or a nested option is out of range.</exception>
    /// <exception cref="NotSupportedException">A method or the layout is not defined.</exception>
    public MultiLeadImageComposer(MultiLeadImageOptions? options = null)
    {
        _options = options ?? new MultiLeadImageOptions();
        if (_options.Methods is null || _options.Methods.Count == 0)
        {
            throw new ArgumentException("Methods must contain at least one encoding method.", nameof(MultiLeadImageOptions.Methods));
        }

        if (_options.Layout is not (MultiLeadLayout.ChannelPerLead or MultiLeadLayout.Tiled or MultiLeadLayout.Concatenated))
        {
            throw new NotSupportedException($"Layout {_options.Layout} is not supported; use ChannelPerLead, Tiled or Concatenated.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ImageSize, 1, nameof(MultiLeadImageOptions.ImageSize));
        if (_options.OutputSize is { } output)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(output, 1, nameof(MultiLeadImageOptions.OutputSize));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(_options.TileRows, 1, nameof(MultiLeadImageOptions.TileRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.TileColumns, 1, nameof(MultiLeadImageOptions.TileColumns));
        if (_options.GramianAngularField is null || _options.MarkovTransitionField is null || _options.RecurrencePlot is null)
        {
            throw new ArgumentException("GramianAngularField, MarkovTransitionField and RecurrencePlot options must not be null.", nameof(options));
        }

        _encoders = new IEcgImageEncoder[_options.Methods.Count];
        for (int m = 0; m < _encoders.Length; m++)
        {
            _encoders[m] = _options.Methods[m] switch
            {
                ImageEncodingMethod.GramianAngularSummationField => new GramianAngularFieldEncoder(_options.GramianAngularField with
                {
                    ImageSize = _options.ImageSize,
                    Method = GramianAngularFieldMethod.Summation,
                }),
                ImageEncodingMethod.GramianAngularDifferenceField => new GramianAngularFieldEncoder(_options.GramianAngularField with
                {
                    ImageSize = _options.ImageSize,
                    Method = GramianAngularFieldMethod.Difference,
                }),
                ImageEncodingMethod.MarkovTransitionField => new MarkovTransitionFieldEncoder(_options.MarkovTransitionField with { ImageSize = _options.ImageSize }),
                ImageEncodingMethod.RecurrencePlot => new RecurrencePlotEncoder(_options.RecurrencePlot with { ImageSize = _options.ImageSize }),
                var other => throw new NotSupportedException($"Method {other} is not supported."),
            };
        }
    }

    /// <summary>The validated options.</summary>
    public MultiLeadImageOptions Options => _options;

    /// <summary>The output shape for a record of <paramref name="leadCount"/> leads of <paramref name="sampleCount"/> samples.</summary>
    /// <param name="leadCount">Number of leads, at least 1.</param>
    /// <param name="sampleCount">Samples per lead.</param>
    /// <returns>Channels, height and width.</returns>
    /// <exception cref="ArgumentException">The leads do not fit the tiles, or the signals are too short for <see cref="MultiLeadImageOptions.ImageSize"/>.</exception>
    public (int Channels, int Height, int Width) GetOutputShape(int leadCount, int sampleCount)
    {
        var (c, h, w) = NativeShape(leadCount, sampleCount, nameof(leadCount));
        return _options.OutputSize is { } o ? (c, o, o) : (c, h, w);
    }

    /// <summary>Number of floats <see cref="Encode(ReadOnlySpan{float}, int, Span{float})"/> writes for this record shape.</summary>
    /// <param name="leadCount">Number of leads.</param>
    /// <param name="sampleCount">Samples per lead.</param>
    /// <returns><c>C × H × W</c>.</returns>
    /// <exception cref="ArgumentException">See <see cref="GetOutputShape"/>.</exception>
    public int GetOutputLength(int leadCount, int sampleCount)
    {
        var (c, h, w) = GetOutputShape(leadCount, sampleCount);
        return checked(c * h * w);
    }

    /// <summary>Encodes a record. A record with the 12 standard leads in another order is reordered to I, II, III, aVR, aVL, aVF, V1–V6 first.</summary>
    /// <param name="record">The record.</param>
    /// <returns>A fresh <c>[C, H, W]</c> tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A sample is NaN or infinite, or the record's shape does not suit the options.</exception>
    public float[] Encode(EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = new float[GetOutputLength(record.LeadCount, record.SampleCount)];
        Encode(record, result);
        return result;
    }

    /// <summary>Encodes a record into <paramref name="destination"/> (standard 12-lead records are put in standard order first).</summary>
    /// <param name="record">The record.</param>
    /// <param name="destination">Receives <c>[C, H, W]</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A sample is NaN or infinite, the record's shape does not suit the options, or <paramref name="destination"/> is too short.</exception>
    public void Encode(EcgRecord record, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(record);
        EcgRecord ordered = record.LeadCount == 12 && record.HasStandardTwelveLeads ? record.ToStandardTwelveLead() : record;
        Encode(ordered.Samples, ordered.LeadCount, destination);
    }

    /// <summary>Encodes lead-major samples <c>[leadCount, samples]</c> into <paramref name="destination"/> without allocating.</summary>
    /// <param name="leads">All samples, lead-major; the length must be a multiple of <paramref name="leadCount"/>.</param>
    /// <param name="leadCount">Number of leads.</param>
    /// <param name="destination">Receives <c>[C, H, W]</c> (see <see cref="GetOutputShape"/>).</param>
    /// <exception cref="ArgumentException">A sample is NaN or infinite (paramName <c>leads</c>; the message names the lead and sample), the shape does not suit the options, or <paramref name="destination"/> is too short.</exception>
    public void Encode(ReadOnlySpan<float> leads, int leadCount, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(leadCount, 1);
        if (leads.Length == 0 || leads.Length % leadCount != 0)
        {
            throw new ArgumentException($"leads length ({leads.Length}) must be a positive multiple of leadCount ({leadCount}).", nameof(leads));
        }

        int samples = leads.Length / leadCount;
        var (channels, height, width) = NativeShape(leadCount, samples, nameof(leads));
        ThrowIfNotFinite(leads, samples);
        int outH = _options.OutputSize ?? height, outW = _options.OutputSize ?? width;
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, checked(channels * outH * outW), "[{0}, {1}, {2}]", channels, outH, outW);

        bool resize = outH != height || outW != width;
        int s = _options.ImageSize, plane = s * s;
        int nativeLength = channels * height * width;
        float[]? canvasArray = resize ? ArrayPool<float>.Shared.Rent(nativeLength) : null;
        float[]? tileArray = _options.Layout == MultiLeadLayout.Tiled ? ArrayPool<float>.Shared.Rent(plane) : null;
        try
        {
            Span<float> canvas = resize ? canvasArray.AsSpan(0, nativeLength) : destination[..nativeLength];
            switch (_options.Layout)
            {
                case MultiLeadLayout.Concatenated:
                    for (int m = 0; m < _encoders.Length; m++)
                    {
                        _encoders[m].Encode(leads, canvas.Slice(m * plane, plane));
                    }

                    break;

                case MultiLeadLayout.ChannelPerLead:
                    for (int m = 0; m < _encoders.Length; m++)
                    {
                        for (int l = 0; l < leadCount; l++)
                        {
                            _encoders[m].Encode(leads.Slice(l * samples, samples), canvas.Slice((m * leadCount + l) * plane, plane));
                        }
                    }

                    break;

                default:
                    Span<float> tile = tileArray.AsSpan(0, plane);
                    canvas.Clear();
                    for (int m = 0; m < _encoders.Length; m++)
                    {
                        Span<float> channel = canvas.Slice(m * height * width, height * width);
                        for (int l = 0; l < leadCount; l++)
                        {
                            _encoders[m].Encode(leads.Slice(l * samples, samples), tile);
                            int row0 = l % _options.TileRows * s, col0 = l / _options.TileRows * s;
                            for (int y = 0; y < s; y++)
                            {
                                tile.Slice(y * s, s).CopyTo(channel.Slice((row0 + y) * width + col0, s));
                            }
                        }
                    }

                    break;
            }

            if (resize)
            {
                ImageResize.Bilinear(canvas, channels, height, width, destination, outH, outW);
            }
        }
        finally
        {
            if (canvasArray is not null)
            {
                ArrayPool<float>.Shared.Return(canvasArray);
            }

            if (tileArray is not null)
            {
                ArrayPool<float>.Shared.Return(tileArray);
            }
        }
    }

    /// <summary>Encodes many records in parallel on all cores; record <c>i</c> goes to <c>destination[i·len … (i+1)·len)</c>.</summary>
    /// <param name="records">Records of one shape (same lead count and length).</param>
    /// <param name="destination">Receives <c>[records.Count, C, H, W]</c>.</param>
    /// <param name="maxDegreeOfParallelism">Worker limit; −1 (default) uses all cores.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The records differ in shape, a record cannot be encoded, or <paramref name="destination"/> is too short.</exception>
    /// <remarks>Output is identical to encoding the records one by one, whatever the thread count.</remarks>
    public unsafe void EncodeBatch(IReadOnlyList<EcgRecord> records, Span<float> destination, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        for (int i = 0; i < records.Count; i++)
        {
            if (records[i] is null)
            {
                throw new ArgumentNullException(nameof(records), $"records[{i}] is null.");
            }

            if (records[i].LeadCount != records[0].LeadCount || records[i].SampleCount != records[0].SampleCount)
            {
                throw new ArgumentException(
                    $"All records must have the same shape: records[0] is [{records[0].LeadCount}, {records[0].SampleCount}] but records[{i}] is [{records[i].LeadCount}, {records[i].SampleCount}].",
                    nameof(records));
            }
        }

        int length = GetOutputLength(records[0].LeadCount, records[0].SampleCount);
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, checked(records.Count * length), "{0} records × {1}", records.Count, length);
        fixed (float* pointer = destination)
        {
            nint address = (nint)pointer;
            RunParallel(records.Count, maxDegreeOfParallelism, i => Encode(records[i], new Span<float>((float*)address + (long)i * length, length)));
        }
    }

    /// <summary>Runs <paramref name="body"/> over <c>0 … count − 1</c> in parallel and rethrows the first failure unwrapped.</summary>
    internal static void RunParallel(int count, int maxDegreeOfParallelism, Action<int> body)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, $"maxDegreeOfParallelism must be -1 or at least 1 (got {maxDegreeOfParallelism}).");
        }

        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>Rejects NaN/∞ up front, naming the lead and the sample (one vectorised pass when all is well).</summary>
    internal static void ThrowIfNotFinite(ReadOnlySpan<float> leads, int samplesPerLead)
    {
        float min = System.Numerics.Tensors.TensorPrimitives.Min(leads), max = System.Numerics.Tensors.TensorPrimitives.Max(leads);
        if (float.IsFinite(min) && float.IsFinite(max))
        {
            return;
        }

        for (int i = 0; i < leads.Length; i++)
        {
            if (!float.IsFinite(leads[i]))
            {
                throw new ArgumentException(
                    $"leads must contain only finite samples, but lead {i / samplesPerLead} sample {i % samplesPerLead} (leads[{i}]) is {leads[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}.",
                    nameof(leads));
            }
        }
    }

    private (int Channels, int Height, int Width) NativeShape(int leadCount, int sampleCount, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(leadCount, 1, paramName);
        int methods = _encoders.Length, s = _options.ImageSize;
        int signalLength = _options.Layout == MultiLeadLayout.Concatenated ? checked(leadCount * sampleCount) : sampleCount;
        foreach (var encoder in _encoders)
        {
            encoder.GetImageSize(signalLength); // throws when ImageSize does not fit the signal
        }

        switch (_options.Layout)
        {
            case MultiLeadLayout.ChannelPerLead:
                return (checked(methods * leadCount), s, s);
            case MultiLeadLayout.Concatenated:
                return (methods, s, s);
            default:
                int tiles = _options.TileRows * _options.TileColumns;
                if (leadCount > tiles)
                {
                    throw new ArgumentException($"{leadCount} leads do not fit TileRows × TileColumns = {tiles} tiles.", paramName);
                }

                return (methods, checked(_options.TileRows * s), checked(_options.TileColumns * s));
        }
    }
}
