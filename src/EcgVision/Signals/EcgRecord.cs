using System.Globalization;

namespace EcgVision.Signals;

/// <summary>An immutable multi-lead ECG in physical units (millivolts) with its sampling rate, lead names and metadata.</summary>
/// <remarks>
/// Samples are stored lead-major in one contiguous buffer <c>[LeadCount, SampleCount]</c> (row <c>i</c> is lead <c>i</c>),
/// which is the layout image encoders and models consume. Missing samples (e.g. WFDB's invalid-sample sentinel) are <see cref="float.NaN"/>.
/// Lead names are matched case-insensitively and standard names are stored in standard spelling (see <see cref="StandardLeads"/>).
/// </remarks>
public sealed class EcgRecord
{
    private readonly float[] _data;
    private readonly string[] _leadNames;

    /// <summary>Creates a record from a lead-major buffer, copying it.</summary>
    /// <param name="data">Samples in millivolts, <c>[leads, samples]</c> row-major; its length must be a multiple of the lead count.</param>
    /// <param name="samplingRate">Samples per second per lead; finite and positive.</param>
    /// <param name="leadNames">One name per lead; names must be distinct (case-insensitively).</param>
    /// <param name="metadata">Optional metadata.</param>
    /// <exception cref="ArgumentNullException"><paramref name="leadNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The buffer length is not a multiple of the lead count, or lead names are empty or repeated.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplingRate"/> is not finite and positive.</exception>
    public EcgRecord(ReadOnlySpan<float> data, double samplingRate, IReadOnlyList<string> leadNames, EcgMetadata? metadata = null)
        : this(data.ToArray(), samplingRate, ValidateNames(leadNames, data.Length), metadata, takeOwnership: true)
    {
    }

    /// <summary>Takes ownership of <paramref name="data"/> without copying (library-internal fast path).</summary>
    internal EcgRecord(float[] data, double samplingRate, string[] leadNames, EcgMetadata? metadata, bool takeOwnership)
    {
        _ = takeOwnership;
        if (!double.IsFinite(samplingRate) || samplingRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate, $"samplingRate must be finite and greater than 0 (got {samplingRate.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (leadNames.Length == 0 || data.Length % leadNames.Length != 0)
        {
            throw new ArgumentException($"data length ({data.Length}) must be a positive multiple of the lead count ({leadNames.Length}).", nameof(data));
        }

        _data = data;
        _leadNames = leadNames;
        SamplingRate = samplingRate;
        SampleCount = data.Length / leadNames.Length;
        Metadata = metadata ?? EcgMetadata.Empty;
    }

    /// <summary>Creates a record from one array per lead (copied).</summary>
    /// <param name="leads">The leads, all of the same length, in millivolts.</param>
    /// <param name="samplingRate">Samples per second per lead.</param>
    /// <param name="leadNames">One name per lead; <see langword="null"/> means the standard 12-lead names (requires 12 leads).</param>
    /// <param name="metadata">Optional metadata.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="leads"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The leads differ in length, or their count does not match the names.</exception>
    public static EcgRecord FromLeads(IReadOnlyList<float[]> leads, double samplingRate, IReadOnlyList<string>? leadNames = null, EcgMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(leads);
        if (leads.Count == 0)
        {
            throw new ArgumentException("leads must contain at least one lead.", nameof(leads));
        }

        leadNames ??= leads.Count == 12 ? StandardLeads.TwelveLead
            : throw new ArgumentException($"leadNames must be given unless there are exactly 12 leads (got {leads.Count}).", nameof(leadNames));
        int n = leads[0]?.Length ?? throw new ArgumentException("leads[0] is null.", nameof(leads));
        var data = new float[leads.Count * n];
        for (int i = 0; i < leads.Count; i++)
        {
            float[] lead = leads[i] ?? throw new ArgumentException($"leads[{i}] is null.", nameof(leads));
            if (lead.Length != n)
            {
                throw new ArgumentException($"All leads must have the same length: leads[0] has {n} samples but leads[{i}] has {lead.Length}.", nameof(leads));
            }

            lead.CopyTo(data, i * n);
        }

        return new EcgRecord(data, samplingRate, ValidateNames(leadNames, data.Length), metadata, takeOwnership: true);
    }

    /// <summary>Number of leads.</summary>
    public int LeadCount => _leadNames.Length;

    /// <summary>Number of samples per lead.</summary>
    public int SampleCount { get; }

    /// <summary>Samples per second per lead (Hz).</summary>
    public double SamplingRate { get; }

    /// <summary>Duration of the recording (<see cref="SampleCount"/> / <see cref="SamplingRate"/>).</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(SampleCount / SamplingRate);

    /// <summary>Lead names in storage order.</summary>
    public IReadOnlyList<string> LeadNames => _leadNames;

    /// <summary>Identifiers, demographics, report and codes.</summary>
    public EcgMetadata Metadata { get; }

    /// <summary>All samples, lead-major <c>[LeadCount, SampleCount]</c>, in millivolts.</summary>
    public ReadOnlySpan<float> Samples => _data;

    /// <summary>All samples as read-only memory (lead-major), for APIs that cannot take a span.</summary>
    public ReadOnlyMemory<float> SamplesMemory => _data;

    /// <summary>The samples of one lead.</summary>
    /// <param name="index">Lead index, 0-based.</param>
    /// <returns>A view of <see cref="SampleCount"/> samples in millivolts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a lead index.</exception>
    public ReadOnlySpan<float> GetLead(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeadCount);
        return _data.AsSpan(index * SampleCount, SampleCount);
    }

    /// <summary>The samples of the lead with the given name (case-insensitive).</summary>
    /// <param name="name">Lead name, e.g. <c>II</c> or <c>avr</c>.</param>
    /// <returns>A view of <see cref="SampleCount"/> samples in millivolts.</returns>
    /// <exception cref="KeyNotFoundException">No lead has that name; the message lists the leads present.</exception>
    public ReadOnlySpan<float> GetLead(string name) => GetLead(IndexOfLead(name));

    /// <summary>The index of the lead with the given name (case-insensitive).</summary>
    /// <param name="name">Lead name.</param>
    /// <returns>The lead index.</returns>
    /// <exception cref="KeyNotFoundException">No lead has that name.</exception>
    public int IndexOfLead(string name)
    {
        if (TryGetLeadIndex(name, out int index))
        {
            return index;
        }

        throw new KeyNotFoundException($"Lead '{name}' not found; the record has leads {string.Join(", ", _leadNames)}.");
    }

    /// <summary>Looks a lead up by name (case-insensitive; standard names in any spelling).</summary>
    /// <param name="name">Lead name.</param>
    /// <param name="index">The lead index when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetLeadIndex(string? name, out int index)
    {
        if (name is not null)
        {
            string canonical = StandardLeads.Canonicalize(name);
            for (int i = 0; i < _leadNames.Length; i++)
            {
                if (string.Equals(_leadNames[i], canonical, StringComparison.OrdinalIgnoreCase))
                {
                    index = i;
                    return true;
                }
            }
        }

        index = -1;
        return false;
    }

    /// <summary>A window of the recording, sample-based.</summary>
    /// <param name="start">First sample.</param>
    /// <param name="length">Number of samples (at least 1).</param>
    /// <returns>A new record with the same leads and metadata.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The window does not lie inside the recording.</exception>
    public EcgRecord Slice(int start, int length)
    {
        if (start < 0 || length < 1 || start > SampleCount - length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"The window [start={start}, length={length}] must lie inside the recording of {SampleCount} samples (start >= 0, length >= 1).");
        }

        var data = new float[LeadCount * length];
        for (int i = 0; i < LeadCount; i++)
        {
            _data.AsSpan(i * SampleCount + start, length).CopyTo(data.AsSpan(i * length, length));
        }

        return new EcgRecord(data, SamplingRate, _leadNames, Metadata, takeOwnership: true);
    }

    /// <summary>A window of the recording, time-based (rounded to the nearest sample).</summary>
    /// <param name="start">Start time from the beginning of the recording.</param>
    /// <param name="duration">Window length.</param>
    /// <returns>A new record.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The window does not lie inside the recording.</exception>
    public EcgRecord Slice(TimeSpan start, TimeSpan duration) =>
        Slice((int)Math.Round(start.TotalSeconds * SamplingRate), (int)Math.Round(duration.TotalSeconds * SamplingRate));

    /// <summary>A record with only the named leads, in the order given.</summary>
    /// <param name="names">Lead names (case-insensitive).</param>
    /// <returns>A new record.</returns>
    /// <exception cref="KeyNotFoundException">A name is not a lead of this record.</exception>
    /// <exception cref="ArgumentException">No names were given.</exception>
    public EcgRecord SelectLeads(params IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            throw new ArgumentException("names must contain at least one lead name.", nameof(names));
        }

        var data = new float[names.Count * SampleCount];
        var leadNames = new string[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            int src = IndexOfLead(names[i]);
            leadNames[i] = _leadNames[src];
            GetLead(src).CopyTo(data.AsSpan(i * SampleCount, SampleCount));
        }

        return new EcgRecord(data, SamplingRate, ValidateNames(leadNames, data.Length), Metadata, takeOwnership: true);
    }

    /// <summary>Whether the record has all 12 standard leads.</summary>
    public bool HasStandardTwelveLeads => StandardLeads.TwelveLead.All(n => TryGetLeadIndex(n, out _));

    /// <summary>The 12 standard leads in standard order (a reordered copy when the file stored them otherwise).</summary>
    /// <returns>A record with leads I, II, III, aVR, aVL, aVF, V1–V6.</returns>
    /// <exception cref="KeyNotFoundException">A standard lead is missing.</exception>
    public EcgRecord ToStandardTwelveLead()
    {
        if (LeadCount == 12 && StandardLeads.TwelveLead.SequenceEqual(_leadNames, StringComparer.Ordinal))
        {
            return this;
        }

        return SelectLeads(StandardLeads.TwelveLead);
    }

    /// <summary>Copies all samples into a new lead-major array <c>[LeadCount, SampleCount]</c>.</summary>
    /// <returns>A fresh array the caller owns.</returns>
    public float[] ToArray() => (float[])_data.Clone();

    /// <summary>Copies all samples, lead-major, into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <c>LeadCount × SampleCount</c> elements.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length < _data.Length)
        {
            throw new ArgumentException($"destination must hold at least {_data.Length} elements (got {destination.Length}).", nameof(destination));
        }

        _data.CopyTo(destination);
    }

    /// <summary>A copy of this record with other metadata (samples are shared, not copied).</summary>
    /// <param name="metadata">The new metadata.</param>
    /// <returns>A new record.</returns>
    public EcgRecord WithMetadata(EcgMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new EcgRecord(_data, SamplingRate, _leadNames, metadata, takeOwnership: true);
    }

    /// <summary>A record with new samples (same length per lead may differ) but the same lead names and metadata.</summary>
    /// <param name="data">Lead-major samples; ownership passes to the new record.</param>
    /// <param name="samplingRate">The sampling rate of <paramref name="data"/>.</param>
    /// <returns>A new record.</returns>
    internal EcgRecord WithSamples(float[] data, double samplingRate) =>
        new(data, samplingRate, _leadNames, Metadata, takeOwnership: true);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"EcgRecord({Metadata.Id ?? "?"}: {LeadCount} leads, {SamplingRate} Hz, {SampleCount} samples, {Duration.TotalSeconds:0.###} s)");

    private static string[] ValidateNames(IReadOnlyList<string> leadNames, int dataLength)
    {
        ArgumentNullException.ThrowIfNull(leadNames);
        if (leadNames.Count == 0)
        {
            throw new ArgumentException("leadNames must contain at least one name.", nameof(leadNames));
        }

        var names = new string[leadNames.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(leadNames[i]))
            {
                throw new ArgumentException($"leadNames[{i}] is empty.", nameof(leadNames));
            }

            names[i] = StandardLeads.Canonicalize(leadNames[i]);
            if (!seen.Add(names[i]))
            {
                throw new ArgumentException($"Lead names must be distinct (case-insensitively); '{names[i]}' appears twice.", nameof(leadNames));
            }
        }

        if (dataLength % names.Length != 0)
        {
            throw new ArgumentException($"data length ({dataLength}) must be a multiple of the lead count ({names.Length}).", "data");
        }

        return names;
    }
}
