using System.Globalization;

namespace EcgVision.Signals.Processing;

/// <summary>Record-level preprocessing: each method processes every lead and returns a new <see cref="EcgRecord"/> (the input is unchanged).</summary>
/// <remarks>
/// Lead names and metadata are kept. Filters run in double precision with SciPy's <c>sosfiltfilt</c> semantics (zero phase, odd
/// padding), so the output is aligned with the input sample for sample.
/// <para><b>Missing samples.</b> A NaN sample (e.g. a WFDB invalid-sample marker) would silently turn a whole filtered lead into NaN,
/// so these methods reject records with NaN: they throw <see cref="ArgumentException"/> naming the first lead and sample index that
/// is NaN. Interpolate or crop missing stretches first. ±∞ is rejected the same way.</para>
/// </remarks>
public static class EcgPreprocessing
{
    /// <summary>Zero-phase Butterworth high-pass on every lead (<c>sosfiltfilt(butter(order, cutoffHz, 'highpass'))</c>).</summary>
    /// <param name="record">The record.</param>
    /// <param name="cutoffHz">Cutoff in Hz, between 0 and the Nyquist frequency.</param>
    /// <param name="order">Butterworth order (default 2).</param>
    /// <returns>A new record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A filter parameter is out of range.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples, or is too short for the filter's padding.</exception>
    public static EcgRecord HighPass(this EcgRecord record, double cutoffHz, int order = 2)
    {
        ArgumentNullException.ThrowIfNull(record);
        return FilterAll(record, Butterworth.Design(order, FilterBand.HighPass, cutoffHz, record.SamplingRate));
    }

    /// <summary>Zero-phase Butterworth low-pass on every lead (<c>sosfiltfilt(butter(order, cutoffHz, 'lowpass'))</c>).</summary>
    /// <param name="record">The record.</param>
    /// <param name="cutoffHz">Cutoff in Hz, between 0 and the Nyquist frequency.</param>
    /// <param name="order">Butterworth order (default 4).</param>
    /// <returns>A new record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A filter parameter is out of range.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples, or is too short for the filter's padding.</exception>
    public static EcgRecord LowPass(this EcgRecord record, double cutoffHz, int order = 4)
    {
        ArgumentNullException.ThrowIfNull(record);
        return FilterAll(record, Butterworth.Design(order, FilterBand.LowPass, cutoffHz, record.SamplingRate));
    }

    /// <summary>Zero-phase Butterworth band-pass on every lead (<c>sosfiltfilt(butter(order, [lowHz, highHz], 'bandpass'))</c>).</summary>
    /// <param name="record">The record.</param>
    /// <param name="lowHz">Lower cutoff in Hz (e.g. 0.5).</param>
    /// <param name="highHz">Upper cutoff in Hz (e.g. 40), below the Nyquist frequency.</param>
    /// <param name="order">Butterworth order (default 2, giving 2 sections).</param>
    /// <returns>A new record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A filter parameter is out of range.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples, or is too short for the filter's padding.</exception>
    public static EcgRecord BandPass(this EcgRecord record, double lowHz, double highHz, int order = 2)
    {
        ArgumentNullException.ThrowIfNull(record);
        return FilterAll(record, Butterworth.Design(order, FilterBand.BandPass, lowHz, highHz, record.SamplingRate));
    }

    /// <summary>Zero-phase Butterworth band-stop on every lead (e.g. 48–52 Hz against mains interference).</summary>
    /// <param name="record">The record.</param>
    /// <param name="lowHz">Lower edge of the stop band in Hz.</param>
    /// <param name="highHz">Upper edge of the stop band in Hz, below the Nyquist frequency.</param>
    /// <param name="order">Butterworth order (default 2).</param>
    /// <returns>A new record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A filter parameter is out of range.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples, or is too short for the filter's padding.</exception>
    public static EcgRecord BandStop(this EcgRecord record, double lowHz, double highHz, int order = 2)
    {
        ArgumentNullException.ThrowIfNull(record);
        return FilterAll(record, Butterworth.Design(order, FilterBand.BandStop, lowHz, highHz, record.SamplingRate));
    }

    /// <summary>Applies an arbitrary zero-phase filter to every lead.</summary>
    /// <param name="record">The record.</param>
    /// <param name="filter">The filter, designed for the record's sampling rate.</param>
    /// <returns>A new record.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples, or is too short for the filter's padding.</exception>
    public static EcgRecord FilterForwardBackward(this EcgRecord record, SecondOrderSections filter)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(filter);
        return FilterAll(record, filter);
    }

    /// <summary>Resamples every lead to <paramref name="toRate"/> with <c>resample_poly</c> semantics (see <see cref="Resampler"/>).</summary>
    /// <param name="record">The record.</param>
    /// <param name="toRate">The new sampling rate in Hz (e.g. 100 for PTB-XL's low-rate copy).</param>
    /// <returns>A new record with <c>⌈SampleCount·up/down⌉</c> samples per lead; the same record when the rate is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="toRate"/> is invalid or gives factors above <see cref="Resampler.MaxFactor"/>.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples.</exception>
    public static EcgRecord Resample(this EcgRecord record, double toRate)
    {
        ArgumentNullException.ThrowIfNull(record);
        (int up, int down) = Resampler.GetRatio(record.SamplingRate, toRate);
        if (up == down)
        {
            return record;
        }

        EnsureFinite(record);
        var filter = new Resampler.PolyphaseFilter(up, down);
        int n = filter.OutputLength(record.SampleCount);
        var data = new float[record.LeadCount * n];
        for (int lead = 0; lead < record.LeadCount; lead++)
        {
            filter.Apply(record.GetLead(lead), data.AsSpan(lead * n, n));
        }

        return record.WithSamples(data, toRate);
    }

    /// <summary>Removes baseline wander from every lead (see <see cref="BaselineWander"/>).</summary>
    /// <param name="record">The record.</param>
    /// <param name="options">Options; <see langword="null"/> for a 0.5 Hz zero-phase high-pass.</param>
    /// <returns>A new record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples, or is too short for the filter's padding.</exception>
    public static EcgRecord RemoveBaselineWander(this EcgRecord record, BaselineWanderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        options ??= new BaselineWanderOptions();
        SecondOrderSections? highPass = BaselineWander.Prepare(options, record.SamplingRate);
        EnsureFinite(record);
        var data = new float[record.Samples.Length];
        int n = record.SampleCount;
        for (int lead = 0; lead < record.LeadCount; lead++)
        {
            BaselineWander.RemoveCore(record.GetLead(lead), record.SamplingRate, data.AsSpan(lead * n, n), options, highPass);
        }

        return record.WithSamples(data, record.SamplingRate);
    }

    /// <summary>Normalises every lead independently (see <see cref="Normalization"/>).</summary>
    /// <param name="record">The record.</param>
    /// <param name="method">The normalisation (default z-score).</param>
    /// <param name="min">Lower end of the target range for <see cref="NormalizationMethod.MinMax"/> (default 0).</param>
    /// <param name="max">Upper end of the target range for <see cref="NormalizationMethod.MinMax"/> (default 1).</param>
    /// <returns>A new record whose values are no longer millivolts.</returns>
    /// <remarks>Constant leads become zeros (z-score, max-abs) or <paramref name="min"/> (min-max).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The min-max range is invalid.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples.</exception>
    /// <exception cref="NotSupportedException"><paramref name="method"/> is not defined.</exception>
    public static EcgRecord Normalize(this EcgRecord record, NormalizationMethod method = NormalizationMethod.ZScore, float min = 0f, float max = 1f)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Enum.IsDefined(method))
        {
            throw new NotSupportedException($"method {(int)method} is not a supported NormalizationMethod.");
        }

        if (method == NormalizationMethod.MinMax)
        {
            Normalization.ValidateRange(min, max);
        }

        EnsureFinite(record);
        var data = new float[record.Samples.Length];
        int n = record.SampleCount;
        for (int lead = 0; lead < record.LeadCount; lead++)
        {
            Normalization.Apply(method, record.GetLead(lead), data.AsSpan(lead * n, n), min, max);
        }

        return record.WithSamples(data, record.SamplingRate);
    }

    /// <summary>Throws when a sample is NaN or ∞, naming the lead and the sample index.</summary>
    internal static void EnsureFinite(EcgRecord record)
    {
        for (int lead = 0; lead < record.LeadCount; lead++)
        {
            ReadOnlySpan<float> x = record.GetLead(lead);
            for (int i = 0; i < x.Length; i++)
            {
                if (!float.IsFinite(x[i]))
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"record lead {record.LeadNames[lead]} has a {(float.IsNaN(x[i]) ? "NaN" : "non-finite")} sample at index {i}; preprocessing needs finite samples (interpolate or crop missing data first)."),
                        nameof(record));
                }
            }
        }
    }

    private static EcgRecord FilterAll(EcgRecord record, SecondOrderSections filter)
    {
        EnsureFinite(record);
        int n = record.SampleCount;
        if (n <= filter.DefaultPadLength)
        {
            throw new ArgumentException(
                $"record must have more samples per lead than the filter's pad length {filter.DefaultPadLength} (SciPy's sosfiltfilt rule), so at least {filter.DefaultPadLength + 1} (got {n}).",
                nameof(record));
        }

        var data = new float[record.Samples.Length];
        for (int lead = 0; lead < record.LeadCount; lead++)
        {
            filter.FilterForwardBackward(record.GetLead(lead), data.AsSpan(lead * n, n));
        }

        return record.WithSamples(data, record.SamplingRate);
    }
}
