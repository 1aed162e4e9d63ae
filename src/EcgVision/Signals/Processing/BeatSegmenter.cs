using System.Globalization;

namespace EcgVision.Signals.Processing;

/// <summary>Options for <see cref="BeatSegmenter"/>; validated when the segmenter is constructed.</summary>
public sealed record BeatSegmenterOptions
{
    /// <summary>Samples kept before each R peak; default 25 (250 ms at 100 Hz).</summary>
    public int SamplesBefore { get; init; } = 25;

    /// <summary>Samples kept from the R peak on (the R sample included); default 40 (400 ms at 100 Hz).</summary>
    public int SamplesAfter { get; init; } = 40;

    /// <summary>Options with the window given in time, converted to samples at <paramref name="samplingRate"/> (rounded).</summary>
    /// <param name="before">Time before the R peak.</param>
    /// <param name="after">Time from the R peak on.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplingRate"/> is not finite and positive.</exception>
    public static BeatSegmenterOptions FromDuration(TimeSpan before, TimeSpan after, double samplingRate)
    {
        if (!double.IsFinite(samplingRate) || samplingRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate, $"samplingRate must be finite and greater than 0 (got {samplingRate.ToString(CultureInfo.InvariantCulture)}).");
        }

        return new BeatSegmenterOptions
        {
            SamplesBefore = (int)Math.Round(before.TotalSeconds * samplingRate),
            SamplesAfter = (int)Math.Round(after.TotalSeconds * samplingRate),
        };
    }
}

/// <summary>Cuts fixed-length windows around R peaks, for all leads at once.</summary>
/// <remarks>
/// The window of a peak at sample <c>r</c> is <c>[r − SamplesBefore, r + SamplesAfter)</c>, so every beat has
/// <c>SamplesBefore + SamplesAfter</c> samples with the R peak at index <c>SamplesBefore</c>. Windows that would cross the start or end
/// of the record are dropped (not padded); <see cref="BeatSet.RPeaks"/> lists the peaks that were kept.
/// </remarks>
public sealed class BeatSegmenter
{
    /// <summary>Creates a segmenter.</summary>
    /// <param name="options">Options; <see langword="null"/> for the defaults (25 samples before, 40 from the peak on).</param>
    /// <exception cref="ArgumentOutOfRangeException">A window size is negative, or both are 0.</exception>
    public BeatSegmenter(BeatSegmenterOptions? options = null)
    {
        Options = options ?? new BeatSegmenterOptions();
        if (Options.SamplesBefore < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.SamplesBefore, $"options.SamplesBefore must be 0 or more (got {Options.SamplesBefore}).");
        }

        if (Options.SamplesAfter < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.SamplesAfter, $"options.SamplesAfter must be at least 1, since it includes the R sample (got {Options.SamplesAfter}).");
        }
    }

    /// <summary>The options in use.</summary>
    public BeatSegmenterOptions Options { get; }

    /// <summary>The number of samples in each beat window.</summary>
    public int BeatLength => Options.SamplesBefore + Options.SamplesAfter;

    /// <summary>Cuts the beats of every lead of a record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="rPeaks">R-peak sample indices (e.g. from <see cref="RPeakDetector"/>), in any order; each within the record.</param>
    /// <returns>The beats, <c>[beats, leads, BeatLength]</c>, in ascending peak order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A peak index lies outside the record.</exception>
    public BeatSet Segment(EcgRecord record, ReadOnlySpan<int> rPeaks)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Segment(record.Samples, record.LeadCount, record.SampleCount, rPeaks, record.LeadNames);
    }

    /// <summary>Cuts the beats of a single lead.</summary>
    /// <param name="signal">The lead.</param>
    /// <param name="rPeaks">R-peak sample indices within the signal.</param>
    /// <returns>The beats, <c>[beats, 1, BeatLength]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A peak index lies outside the signal.</exception>
    public BeatSet Segment(ReadOnlySpan<float> signal, ReadOnlySpan<int> rPeaks) =>
        Segment(signal, 1, signal.Length, rPeaks, ["signal"]);

    private BeatSet Segment(ReadOnlySpan<float> data, int leads, int samples, ReadOnlySpan<int> rPeaks, IReadOnlyList<string> leadNames)
    {
        int[] sorted = rPeaks.ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i] < 0 || sorted[i] >= samples)
            {
                throw new ArgumentOutOfRangeException(nameof(rPeaks), sorted[i], $"rPeaks[{i}] must be a sample index between 0 and {samples - 1} (got {sorted[i]}).");
            }
        }

        Array.Sort(sorted);
        int before = Options.SamplesBefore, length = BeatLength;
        int[] kept = sorted.Where(r => r - before >= 0 && r - before + length <= samples).ToArray();
        var beats = new float[kept.Length * leads * length];
        for (int b = 0; b < kept.Length; b++)
        {
            for (int lead = 0; lead < leads; lead++)
            {
                data.Slice((lead * samples) + kept[b] - before, length).CopyTo(beats.AsSpan(((b * leads) + lead) * length, length));
            }
        }

        return new BeatSet(beats, kept, leads, length, before, leadNames.ToArray());
    }
}

/// <summary>Beats cut around R peaks: a contiguous <c>[BeatCount, LeadCount, Length]</c> float buffer plus the peaks kept.</summary>
/// <remarks>Immutable. <see cref="Median"/> and <see cref="Average"/> give the representative beat <c>[LeadCount, Length]</c>.</remarks>
public sealed class BeatSet
{
    private readonly float[] _data;
    private readonly int[] _rPeaks;
    private readonly string[] _leadNames;

    internal BeatSet(float[] data, int[] rPeaks, int leadCount, int length, int rPeakOffset, string[] leadNames)
    {
        _data = data;
        _rPeaks = rPeaks;
        _leadNames = leadNames;
        LeadCount = leadCount;
        Length = length;
        RPeakOffset = rPeakOffset;
    }

    /// <summary>Number of beats kept.</summary>
    public int BeatCount => _rPeaks.Length;

    /// <summary>Number of leads per beat.</summary>
    public int LeadCount { get; }

    /// <summary>Samples per beat window.</summary>
    public int Length { get; }

    /// <summary>Index of the R peak inside each window (the segmenter's <c>SamplesBefore</c>).</summary>
    public int RPeakOffset { get; }

    /// <summary>The shape of <see cref="Data"/>: <c>[BeatCount, LeadCount, Length]</c>.</summary>
    public int[] Shape => [BeatCount, LeadCount, Length];

    /// <summary>The R peaks (record sample indices, ascending) whose windows were kept.</summary>
    public IReadOnlyList<int> RPeaks => _rPeaks;

    /// <summary>The lead names, in order.</summary>
    public IReadOnlyList<string> LeadNames => _leadNames;

    /// <summary>All beats, row-major <c>[BeatCount, LeadCount, Length]</c>.</summary>
    public ReadOnlySpan<float> Data => _data;

    /// <summary>Copies all beats into a new array <c>[BeatCount, LeadCount, Length]</c>.</summary>
    /// <returns>A fresh array.</returns>
    public float[] ToArray() => (float[])_data.Clone();

    /// <summary>One beat, all leads: <c>[LeadCount, Length]</c>.</summary>
    /// <param name="beat">Beat index.</param>
    /// <returns>A view of the beat.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beat"/> is out of range.</exception>
    public ReadOnlySpan<float> GetBeat(int beat)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beat);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(beat, BeatCount);
        return _data.AsSpan(beat * LeadCount * Length, LeadCount * Length);
    }

    /// <summary>One lead of one beat.</summary>
    /// <param name="beat">Beat index.</param>
    /// <param name="lead">Lead index.</param>
    /// <returns>A view of <see cref="Length"/> samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public ReadOnlySpan<float> GetBeat(int beat, int lead)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lead);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lead, LeadCount);
        return GetBeat(beat).Slice(lead * Length, Length);
    }

    /// <summary>The sample-wise median beat, <c>[LeadCount, Length]</c> (mean of the two middle values for an even count).</summary>
    /// <returns>A new array.</returns>
    /// <exception cref="InvalidOperationException">There are no beats.</exception>
    public float[] Median()
    {
        EnsureBeats();
        var result = new float[LeadCount * Length];
        var column = new float[BeatCount];
        for (int j = 0; j < result.Length; j++)
        {
            for (int b = 0; b < BeatCount; b++)
            {
                column[b] = _data[(b * result.Length) + j];
            }

            Array.Sort(column);
            int m = BeatCount / 2;
            result[j] = BeatCount % 2 == 1 ? column[m] : (float)((column[m - 1] + (double)column[m]) / 2);
        }

        return result;
    }

    /// <summary>The sample-wise mean beat, <c>[LeadCount, Length]</c>.</summary>
    /// <returns>A new array.</returns>
    /// <exception cref="InvalidOperationException">There are no beats.</exception>
    public float[] Average()
    {
        EnsureBeats();
        int size = LeadCount * Length;
        var sum = new double[size];
        for (int b = 0; b < BeatCount; b++)
        {
            for (int j = 0; j < size; j++)
            {
                sum[j] += _data[(b * size) + j];
            }
        }

        return sum.Select(s => (float)(s / BeatCount)).ToArray();
    }

    private void EnsureBeats()
    {
        if (BeatCount == 0)
        {
            throw new InvalidOperationException("The beat set is empty (every window crossed the record edge or no peaks were given), so it has no representative beat.");
        }
    }
}
