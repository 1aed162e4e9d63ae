using System.Buffers;
using System.Numerics.Tensors;
using EcgVision.Signals;
using EcgVision.Signals.Processing;

namespace EcgVision.Encoding;

/// <summary>Options of <see cref="QiuImageEncoder"/>.</summary>
public sealed record QiuImageOptions
{
    /// <summary>Output side length (the paper: 224). Default 224.</summary>
    public int OutputSize { get; init; } = 224;

    /// <summary>
    /// <see cref="MultiLeadLayout.Tiled"/> (the paper: 100 × 100 images tiled 3 × 4 into 300 × 400, then resized) or
    /// <see cref="MultiLeadLayout.Concatenated"/> (the 12 beats joined into one 1200-sample signal, encoded directly at
    /// <see cref="OutputSize"/> by PAA). Default <see cref="MultiLeadLayout.Tiled"/>.
    /// </summary>
    public MultiLeadLayout Layout { get; init; } = MultiLeadLayout.Tiled;

    /// <summary>
    /// Which beat each lead contributes. <see cref="QiuBeatSelection.Simultaneous"/> (the paper, default): the same beat for all 12
    /// leads. <see cref="QiuBeatSelection.PrintedLayout"/>: the beat a 3 × 4 paper printout shows for that lead (see
    /// <see cref="QiuImageEncoder.ToPrintedLayout"/>), so a complete signal and a digitised printout of it encode the same beats.
    /// </summary>
    public QiuBeatSelection BeatSelection { get; init; } = QiuBeatSelection.Simultaneous;
}

/// <summary>How <see cref="QiuImageEncoder.EncodeRecord(EcgRecord, Span{float})"/> picks each lead's beat.</summary>
public enum QiuBeatSelection
{
    /// <summary>One beat for all leads: the R peak (lead II) nearest the middle of the recording (Qiu et al.).</summary>
    Simultaneous,

    /// <summary>Each lead's beat from its own column of a 3 × 4 printout (I–III in the first quarter of the recording, aVR–aVF in
    /// the second, V1–V3 in the third, V4–V6 in the last; lead II over the whole recording, as its rhythm strip). A photo of a
    /// printout, digitised, can only show these beats, so signals and photos encoded this way match beat for beat.</summary>
    PrintedLayout,
}

/// <summary>
/// The image part of Qiu et al.'s ECG encoding (ML4H 2023): one 1-s beat per lead at 100 Hz, max-abs scaled, encoded as
/// GASF, recurrence plot and 4-bin MTF, giving a 3-channel <c>224 × 224</c> image.
/// </summary>
/// <remarks>
/// <para><b>Before calling <see cref="EncodeBeats(ReadOnlySpan{float}, Span{float})"/></b> the integrator must: resample the record to
/// 100 Hz; band-limit each lead with a 0.5 Hz high-pass and a 15 Hz low-pass filter; detect R peaks on lead II; pick one R peak
/// <c>r</c> whose window lies inside the record (<see cref="EncodeRecord(EcgRecord, Span{float})"/>, which does all of this, uses the
/// peak nearest the middle of the recording, away from filter edge effects); and cut, for all 12 leads in standard order, the
/// samples <c>[r − <see cref="RPeakOffset"/>, r − RPeakOffset + 100)</c>, i.e. 0.3 s before to 0.7 s after the R peak
/// (<see cref="CutBeatWindow"/> does this last step).</para>
/// <para>Then, per lead: scale by the maximum absolute value to <c>[−1, 1]</c> (an all-zero lead stays zero); GASF with no
/// further scaling (<c>SampleRange = null</c>); unthresholded recurrence plot (<c>m = 1</c>) with distances capped at 1;
/// quantile MTF with 4 bins (a constant lead gives an all-ones MTF instead of pyts's error); each 100 × 100. Channels are
/// GASF, RP, MTF; the images are tiled 3 × 4 column-major (I, II, III | aVR, aVL, aVF | V1–V3 | V4–V6) into 300 × 400 and
/// bilinearly resized (torch semantics, no antialias) to <c>[3, 224, 224]</c>. Details the paper leaves open are listed in docs/encodings.md.</para>
/// </remarks>
public sealed class QiuImageEncoder
{
    /// <summary>Leads per beat set (standard order I, II, III, aVR, aVL, aVF, V1–V6).</summary>
    public const int LeadCount = 12;

    /// <summary>Samples per beat: 1 s at 100 Hz.</summary>
    public const int BeatLength = 100;

    /// <summary>The sampling rate the preset expects, in Hz.</summary>
    public const double SamplingRate = 100;

    /// <summary>Position of the R peak inside the 100-sample window (0.3 s of P wave / PR before, 0.7 s of QRS–T after).</summary>
    public const int RPeakOffset = 30;

    private static readonly RPeakDetector s_detector = new();

    private readonly QiuImageOptions _options;
    private readonly MultiLeadImageComposer _composer;

    /// <summary>Creates the encoder.</summary>
    /// <param name="options">Options; <see langword="null"/> means the paper's settings.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="QiuImageOptions.OutputSize"/> is below 1 (or above 1200 for the concatenated layout).</exception>
    /// <exception cref="NotSupportedException">The layout is not <see cref="MultiLeadLayout.Tiled"/> or <see cref="MultiLeadLayout.Concatenated"/>.</exception>
    public QiuImageEncoder(QiuImageOptions? options = null)
    {
        _options = options ?? new QiuImageOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.OutputSize, 1, nameof(QiuImageOptions.OutputSize));
        if (_options.Layout is not (MultiLeadLayout.Tiled or MultiLeadLayout.Concatenated))
        {
            throw new NotSupportedException($"Layout {_options.Layout} is not supported by the Qiu preset; use Tiled or Concatenated.");
        }

        if (_options.Layout == MultiLeadLayout.Concatenated && _options.OutputSize > LeadCount * BeatLength)
        {
            throw new ArgumentOutOfRangeException(nameof(QiuImageOptions.OutputSize), _options.OutputSize,
                $"OutputSize must be at most {LeadCount * BeatLength} (the concatenated beat length) for the Concatenated layout (got {_options.OutputSize}).");
        }

        bool tiled = _options.Layout == MultiLeadLayout.Tiled;
        _composer = new MultiLeadImageComposer(new MultiLeadImageOptions
        {
            Methods = [ImageEncodingMethod.GramianAngularSummationField, ImageEncodingMethod.RecurrencePlot, ImageEncodingMethod.MarkovTransitionField],
            Layout = _options.Layout,
            ImageSize = tiled ? BeatLength : _options.OutputSize,
            OutputSize = _options.OutputSize,
            TileRows = 3,
            TileColumns = 4,
            GramianAngularField = new GramianAngularFieldOptions { SampleRange = null },
            RecurrencePlot = new RecurrencePlotOptions { MaxDistance = 1f },
            MarkovTransitionField = new MarkovTransitionFieldOptions { BinCount = 4, Strategy = BinStrategy.Quantile, ThrowOnConstantSignal = false },
        });
    }

    /// <summary>The validated options.</summary>
    public QiuImageOptions Options => _options;

    /// <summary>The output shape, <c>[3, OutputSize, OutputSize]</c>.</summary>
    public (int Channels, int Height, int Width) OutputShape => (3, _options.OutputSize, _options.OutputSize);

    /// <summary>Number of floats one beat set encodes to.</summary>
    public int OutputLength => 3 * _options.OutputSize * _options.OutputSize;

    /// <summary>Encodes one beat per lead into <paramref name="destination"/> without allocating.</summary>
    /// <param name="beats">Lead-major <c>[12, 100]</c>: the filtered 100 Hz window of each lead, standard lead order.</param>
    /// <param name="destination">Receives <c>[3, OutputSize, OutputSize]</c>: GASF, RP, MTF.</param>
    /// <exception cref="ArgumentException"><paramref name="beats"/> is not 1200 samples long or holds NaN/∞ (paramName <c>beats</c>), or <paramref name="destination"/> is too short.</exception>
    public void EncodeBeats(ReadOnlySpan<float> beats, Span<float> destination)
    {
        if (beats.Length != LeadCount * BeatLength)
        {
            throw new ArgumentException($"beats must hold {LeadCount} leads × {BeatLength} samples = {LeadCount * BeatLength} values, lead-major (got {beats.Length}).", nameof(beats));
        }

        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, OutputLength, "[3, {0}, {0}]", _options.OutputSize);
        float[] scaledArray = ArrayPool<float>.Shared.Rent(beats.Length);
        try
        {
            Span<float> scaled = scaledArray.AsSpan(0, beats.Length);
            for (int l = 0; l < LeadCount; l++)
            {
                ReadOnlySpan<float> lead = beats.Slice(l * BeatLength, BeatLength);
                Span<float> target = scaled.Slice(l * BeatLength, BeatLength);
                float peak = MathF.Abs(TensorPrimitives.MaxMagnitude(lead));
                if (!float.IsFinite(peak))
                {
                    MultiLeadImageComposer.ThrowIfNotFinite(beats, BeatLength);
                }

                if (peak > 0)
                {
                    TensorPrimitives.Divide(lead, peak, target);
                }
                else
                {
                    target.Clear();
                }
            }

            MultiLeadImageComposer.ThrowIfNotFinite(scaled, BeatLength);
            _composer.Encode(scaled, LeadCount, destination);
        }
        catch (ArgumentException e) when (e.ParamName == "leads")
        {
            throw new ArgumentException(e.Message.Replace("leads must", "beats must", StringComparison.Ordinal), nameof(beats), e);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scaledArray);
        }
    }

    /// <summary>Encodes one beat per lead into a new array.</summary>
    /// <param name="beats">Lead-major <c>[12, 100]</c>.</param>
    /// <returns>A fresh <c>[3, OutputSize, OutputSize]</c> tensor.</returns>
    /// <exception cref="ArgumentException">See <see cref="EncodeBeats(ReadOnlySpan{float}, Span{float})"/>.</exception>
    public float[] EncodeBeats(ReadOnlySpan<float> beats)
    {
        var result = new float[OutputLength];
        EncodeBeats(beats, result);
        return result;
    }

    /// <summary>Encodes many beat sets in parallel on all cores (deterministic: identical to encoding them one by one).</summary>
    /// <param name="beatSets">Contiguous <c>[count, 12, 100]</c>.</param>
    /// <param name="destination">Receives <c>[count, 3, OutputSize, OutputSize]</c>.</param>
    /// <param name="maxDegreeOfParallelism">Worker limit; −1 (default) uses all cores.</param>
    /// <exception cref="ArgumentException"><paramref name="beatSets"/> is not a whole number of beat sets, a beat set cannot be encoded, or <paramref name="destination"/> is too short.</exception>
    public unsafe void EncodeBeatsBatch(ReadOnlySpan<float> beatSets, Span<float> destination, int maxDegreeOfParallelism = -1)
    {
        const int setLength = LeadCount * BeatLength;
        if (beatSets.Length % setLength != 0)
        {
            throw new ArgumentException($"beatSets length ({beatSets.Length}) must be a multiple of {setLength} (12 leads × 100 samples).", nameof(beatSets));
        }

        int count = beatSets.Length / setLength;
        int length = OutputLength;
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, checked(count * length), "{0} beat sets × {1}", count, length);
        fixed (float* input = beatSets)
        fixed (float* output = destination)
        {
            nint inAddress = (nint)input, outAddress = (nint)output;
            MultiLeadImageComposer.RunParallel(count, maxDegreeOfParallelism, i => EncodeBeats(
                new ReadOnlySpan<float>((float*)inAddress + (long)i * setLength, setLength),
                new Span<float>((float*)outAddress + (long)i * length, length)));
        }
    }

    /// <summary>High-pass cut-off of the preset's preprocessing, in Hz.</summary>
    public const double HighPassHz = 0.5;

    /// <summary>Low-pass cut-off of the preset's preprocessing, in Hz.</summary>
    public const double LowPassHz = 15;

    /// <summary>Runs the whole preset on a record: resample to 100 Hz, 0.5 Hz high-pass and 15 Hz low-pass (zero-phase Butterworth,
    /// orders 2 and 4), R peaks on lead II, the beat nearest the middle of the recording, then <see cref="EncodeBeats(ReadOnlySpan{float}, Span{float})"/>.
    /// A record whose leads are NaN outside their own windows (a digitised paper printout) takes the printed-layout path of
    /// <see cref="ExtractBeat"/>.</summary>
    /// <param name="record">A record with the 12 standard leads, at least ~1.5 s long, any sampling rate.</param>
    /// <param name="destination">Receives <c>[3, OutputSize, OutputSize]</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">A standard lead is missing.</exception>
    /// <exception cref="ArgumentException">No complete beat was found on lead II of a complete record, a lead has less than
    /// <see cref="MinimumLeadWindowSeconds"/> of finite samples in one piece, or <paramref name="destination"/> is too short.</exception>
    public void EncodeRecord(EcgRecord record, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(record);
        float[] beats = ArrayPool<float>.Shared.Rent(LeadCount * BeatLength);
        try
        {
            ExtractBeat(_options.BeatSelection == QiuBeatSelection.PrintedLayout ? ToPrintedLayout(record) : record, beats.AsSpan(0, LeadCount * BeatLength));
            EncodeBeats(beats.AsSpan(0, LeadCount * BeatLength), destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(beats);
        }
    }

    /// <summary>Allocating variant of <see cref="EncodeRecord(EcgRecord, Span{float})"/>.</summary>
    /// <param name="record">The record.</param>
    /// <returns>A new <c>[3, OutputSize, OutputSize]</c> array.</returns>
    public float[] EncodeRecord(EcgRecord record)
    {
        var result = new float[OutputLength];
        EncodeRecord(record, result);
        return result;
    }

    /// <summary>The preset's preprocessing alone: the filtered 100 Hz beat window <c>[12, 100]</c> (standard lead order) that
    /// <see cref="EncodeBeats(ReadOnlySpan{float}, Span{float})"/> consumes.</summary>
    /// <param name="record">A record with the 12 standard leads.</param>
    /// <param name="destination">Receives <c>[12, 100]</c>.</param>
    /// <returns>The R-peak sample index (at 100 Hz) the window is centred on (for a printed-layout record: the beat of the longest lead).</returns>
    /// <remarks>
    /// A complete record gives every lead the same beat: the R peak (lead II) nearest the middle of the recording. A record in which
    /// some lead holds NaN or ∞ is read as a printed layout (e.g. the output of the paper-ECG digitiser, where a 3 × 4 page shows each
    /// lead for 2.5 s and lead II as a 10-s rhythm strip): each lead's longest finite run is filtered on its own, R peaks come from the
    /// longest lead where it covers the window (else from the lead's own window), and each lead gets the complete beat nearest the
    /// middle of its window. Those beats are not simultaneous across columns, exactly as on the paper.
    /// </remarks>
    /// <exception cref="ArgumentException">No complete beat was found on lead II of a complete record, or a lead has less than
    /// <see cref="MinimumLeadWindowSeconds"/> of finite samples in one piece.</exception>
    public static int ExtractBeat(EcgRecord record, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(record);
        EcgRecord r = record.ToStandardTwelveLead();
        if (HasGaps(r))
        {
            return ExtractBeatFromLeadWindows(r, record.Metadata.Id, destination);
        }

        if (Math.Abs(r.SamplingRate - SamplingRate) > 1e-9)
        {
            r = r.Resample(SamplingRate);
        }

        r = r.HighPass(HighPassHz).LowPass(LowPassHz);
        int[] peaks = s_detector.Detect(r); // QRS found on all 12 leads, R peak located on lead II
        int middle = r.SampleCount / 2;
        int best = -1;
        foreach (int p in peaks)
        {
            if (p - RPeakOffset >= 0 && p - RPeakOffset + BeatLength <= r.SampleCount && (best < 0 || Math.Abs(p - middle) < Math.Abs(best - middle)))
            {
                best = p;
            }
        }

        if (best < 0)
        {
            throw new ArgumentException(
                $"No complete beat found on lead II of record '{record.Metadata.Id ?? "?"}' ({peaks.Length} R peaks detected in {r.SampleCount} samples at 100 Hz); the Qiu preset needs one R peak with 0.3 s before and 0.7 s after it.",
                nameof(record));
        }

        CutBeatWindow(r, best, destination);
        return best;
    }

    /// <summary>Cuts the 100-sample window around an R peak from each of the 12 standard leads (lead-major into <paramref name="destination"/>).</summary>
    /// <param name="record">A filtered 100 Hz record with the 12 standard leads (any storage order).</param>
    /// <param name="rPeak">Sample index of the R peak (detected on lead II).</param>
    /// <param name="destination">Receives <c>[12, 100]</c> in standard lead order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record is not 100 Hz, or <paramref name="destination"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window <c>[rPeak − 30, rPeak + 70)</c> does not lie inside the record.</exception>
    /// <exception cref="KeyNotFoundException">A standard lead is missing.</exception>
    public static void CutBeatWindow(EcgRecord record, int rPeak, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Math.Abs(record.SamplingRate - SamplingRate) > 1e-9)
        {
            throw new ArgumentException($"The record must be sampled at {SamplingRate} Hz (got {record.SamplingRate} Hz); resample it first.", nameof(record));
        }

        int start = rPeak - RPeakOffset;
        if (start < 0 || start + BeatLength > record.SampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(rPeak), rPeak,
                $"The window [rPeak - {RPeakOffset}, rPeak + {BeatLength - RPeakOffset}) = [{start}, {start + BeatLength}) must lie inside the record of {record.SampleCount} samples.");
        }

        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, LeadCount * BeatLength, "[12, 100]");
        for (int l = 0; l < LeadCount; l++)
        {
            record.GetLead(StandardLeads.TwelveLead[l]).Slice(start, BeatLength).CopyTo(destination.Slice(l * BeatLength, BeatLength));
        }
    }

    /// <summary>The record as a 3 × 4 printout with a lead II rhythm strip shows it: the 12 standard leads, each set to NaN outside its
    /// column (I, II, III: first quarter of the recording; aVR, aVL, aVF: second; V1–V3: third; V4–V6: last), except lead II, which
    /// keeps the whole recording. Samples that are already NaN stay NaN.</summary>
    /// <param name="record">A record with the 12 standard leads.</param>
    /// <returns>A new record in standard lead order with the same rate, length and metadata.</returns>
    /// <exception cref="KeyNotFoundException">A standard lead is missing.</exception>
    public static EcgRecord ToPrintedLayout(EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        EcgRecord r = record.ToStandardTwelveLead();
        int n = r.SampleCount;
        var data = r.ToArray();
        for (int l = 0; l < LeadCount; l++)
        {
            if (l == 1)
            {
                continue; // lead II: the rhythm strip
            }

            int column = l / 3, from = column * n / 4, to = (column + 1) * n / 4;
            var lead = data.AsSpan(l * n, n);
            lead[..from].Fill(float.NaN);
            lead[to..].Fill(float.NaN);
        }

        return new EcgRecord(data, r.SamplingRate, [.. StandardLeads.TwelveLead], r.Metadata, takeOwnership: true);
    }

    /// <summary>Minimum length of a lead's printed window, in seconds, for <see cref="ExtractBeat"/> to use it (one beat window plus
    /// room for the filters to settle).</summary>
    public const double MinimumLeadWindowSeconds = 1.2;

    private static bool HasGaps(EcgRecord record)
    {
        for (int l = 0; l < record.LeadCount; l++)
        {
            foreach (float v in record.GetLead(l))
            {
                if (!float.IsFinite(v))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The printed-layout path of <see cref="ExtractBeat"/>: a record whose leads hold values only inside their own window (a digitised
    /// 3 × 4 printout shows I–III over 0–2.5 s, aVR–aVF over 2.5–5 s, …, with NaN elsewhere). Each lead's longest finite run is
    /// resampled and filtered on its own; R peaks come from the longest lead (the rhythm strip, usually lead II over the whole 10 s), or
    /// from the lead's own window when that lead does not cover it; each lead gets the beat nearest the middle of its own window.
    /// The leads' beats are therefore not simultaneous, as on the paper itself.
    /// </summary>
    private static int ExtractBeatFromLeadWindows(EcgRecord r, string? id, Span<float> destination)
    {
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, LeadCount * BeatLength, "[12, 100]");
        double scale = SamplingRate / r.SamplingRate;
        var starts = new int[LeadCount];
        var filtered = new float[LeadCount][];
        for (int l = 0; l < LeadCount; l++)
        {
            var lead = r.GetLead(StandardLeads.TwelveLead[l]);
            var (start, length) = LongestFiniteRun(lead);
            if (length / r.SamplingRate < MinimumLeadWindowSeconds)
            {
                throw new ArgumentException(
                    FormattableString.Invariant($"Lead {StandardLeads.TwelveLead[l]} of record '{id ?? "?"}' has {length / r.SamplingRate:0.##} s of finite samples in one piece; the Qiu preset needs at least {MinimumLeadWindowSeconds} s per lead (NaN marks samples that were not recorded or printed)."),
                    "record");
            }

            var segment = EcgRecord.FromLeads([lead.Slice(start, length).ToArray()], r.SamplingRate, [StandardLeads.TwelveLead[l]]);
            if (Math.Abs(r.SamplingRate - SamplingRate) > 1e-9)
            {
                segment = segment.Resample(SamplingRate);
            }

            filtered[l] = FilterWindow(segment.GetLead(0));
            starts[l] = (int)Math.Round(start * scale);
        }

        int reference = 0;
        for (int l = 1; l < LeadCount; l++)
        {
            if (filtered[l].Length > filtered[reference].Length || (filtered[l].Length == filtered[reference].Length && l == 1))
            {
                reference = l;
            }
        }

        int[] referencePeaks = Shift(s_detector.Detect(filtered[reference], SamplingRate), starts[reference]);
        if (referencePeaks.Length == 0)
        {
            throw new ArgumentException(
                FormattableString.Invariant($"No R peak found on lead {StandardLeads.TwelveLead[reference]} of record '{id ?? "?"}' ({filtered[reference].Length} samples at 100 Hz, its longest lead); the Qiu preset needs beats."),
                "record");
        }

        int middleOfRecordPeak = -1;
        for (int l = 0; l < LeadCount; l++)
        {
            int from = starts[l], to = starts[l] + filtered[l].Length, centre = (from + to) / 2;
            bool covered = starts[reference] <= from && starts[reference] + filtered[reference].Length >= to;
            int[] peaks = covered ? referencePeaks : Shift(s_detector.Detect(filtered[l], SamplingRate), from);
            int peak = NearestCompleteBeat(peaks, from, to, centre);
            if (peak < 0 && covered)
            {
                peaks = Shift(s_detector.Detect(filtered[l], SamplingRate), from);
                peak = NearestCompleteBeat(peaks, from, to, centre);
            }

            if (peak < 0)
            {
                // No complete beat inside this window (a slow rate or a pause: the window must hold 0.3 s before and 0.7 s after an
                // R peak): take the R peak inside the window nearest its middle (else the middle itself) and fill the part of the
                // beat window that falls outside with the nearest edge sample, rather than refusing a readable printout.
                peak = NearestPeakInside(referencePeaks, from, to, centre);
                peak = peak >= 0 ? peak : NearestPeakInside(peaks, from, to, centre);
                peak = peak >= 0 ? peak : centre - (BeatLength / 2) + RPeakOffset;
            }

            var beat = destination.Slice(l * BeatLength, BeatLength);
            for (int i = 0; i < BeatLength; i++)
            {
                beat[i] = filtered[l][Math.Clamp(peak - RPeakOffset + i, from, to - 1) - from];
            }

            if (l == reference)
            {
                middleOfRecordPeak = peak;
            }
        }

        return middleOfRecordPeak;

        static int[] Shift(int[] peaks, int offset)
        {
            for (int i = 0; i < peaks.Length; i++)
            {
                peaks[i] += offset;
            }

            return peaks;
        }
    }

    /// <summary>Band-limits one lead's window like the full-record path, after mirroring up to 1 s at each end (even reflection), so the
    /// 0.5 Hz high-pass does not ring at the window's edges, where a full record would have had more signal.</summary>
    private static float[] FilterWindow(ReadOnlySpan<float> window)
    {
        int n = window.Length, pad = Math.Min(n - 1, (int)SamplingRate);
        var extended = new float[n + (2 * pad)];
        for (int i = 0; i < pad; i++)
        {
            extended[pad - 1 - i] = window[i + 1];
            extended[pad + n + i] = window[n - 2 - i];
        }

        window.CopyTo(extended.AsSpan(pad, n));
        var filtered = EcgRecord.FromLeads([extended], SamplingRate, ["II"]).HighPass(HighPassHz).LowPass(LowPassHz);
        return filtered.GetLead(0).Slice(pad, n).ToArray();
    }

    private static int NearestPeakInside(int[] peaks, int from, int to, int centre)
    {
        int best = -1;
        foreach (int p in peaks)
        {
            if (p >= from && p < to && (best < 0 || Math.Abs(p - centre) < Math.Abs(best - centre)))
            {
                best = p;
            }
        }

        return best;
    }

    private static int NearestCompleteBeat(int[] peaks, int from, int to, int centre)
    {
        int best = -1;
        foreach (int p in peaks)
        {
            if (p - RPeakOffset >= from && p - RPeakOffset + BeatLength <= to && (best < 0 || Math.Abs(p - centre) < Math.Abs(best - centre)))
            {
                best = p;
            }
        }

        return best;
    }

    private static (int Start, int Length) LongestFiniteRun(ReadOnlySpan<float> lead)
    {
        int bestStart = 0, bestLength = 0, runStart = -1;
        for (int i = 0; i <= lead.Length; i++)
        {
            bool finite = i < lead.Length && float.IsFinite(lead[i]);
            if (finite && runStart < 0)
            {
                runStart = i;
            }
            else if (!finite && runStart >= 0)
            {
                if (i - runStart > bestLength)
                {
                    (bestStart, bestLength) = (runStart, i - runStart);
                }

                runStart = -1;
            }
        }

        return (bestStart, bestLength);
    }
}
