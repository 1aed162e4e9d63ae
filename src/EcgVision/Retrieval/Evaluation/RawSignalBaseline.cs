using EcgVision.Signals;

namespace EcgVision.Retrieval.Evaluation;

/// <summary>Options of <see cref="RawSignalEmbedding"/>; validated by its constructor.</summary>
public sealed record RawSignalEmbeddingOptions
{
    /// <summary>Samples kept per lead after box-filter downsampling. Default 100 (10 Hz over a 10 s PTB-XL record); at least 1.</summary>
    public int SamplesPerLead { get; init; } = 100;

    /// <summary>Z-score each lead (subtract its mean, divide by its standard deviation) so amplitude scale does not dominate. Default true.</summary>
    public bool StandardizeLeads { get; init; } = true;
}

/// <summary>
/// The k-NN-on-raw-signal baseline: a record becomes a vector by box-filter downsampling every lead to a fixed length,
/// standardising each lead and concatenating the leads; cosine retrieval over these vectors needs no model at all.
/// </summary>
/// <remarks>Output length = leads × <see cref="RawSignalEmbeddingOptions.SamplesPerLead"/>, lead-major. A flat lead standardises to zeros.</remarks>
public sealed class RawSignalEmbedding
{
    private readonly RawSignalEmbeddingOptions _options;

    /// <summary>Creates the embedder.</summary>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RawSignalEmbeddingOptions.SamplesPerLead"/> is less than 1.</exception>
    public RawSignalEmbedding(RawSignalEmbeddingOptions? options = null)
    {
        _options = options ?? new RawSignalEmbeddingOptions();
        if (_options.SamplesPerLead < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.SamplesPerLead, $"SamplesPerLead must be at least 1 (got {_options.SamplesPerLead}).");
        }
    }

    /// <summary>Embedding length for a record with <paramref name="leadCount"/> leads.</summary>
    /// <param name="leadCount">Number of leads.</param>
    /// <returns><paramref name="leadCount"/> × SamplesPerLead.</returns>
    public int GetDimension(int leadCount) => leadCount * _options.SamplesPerLead;

    /// <summary>Embeds a record into <paramref name="destination"/>.</summary>
    /// <param name="record">The record.</param>
    /// <param name="destination">Receives <see cref="GetDimension"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, or the record has fewer samples than SamplesPerLead.</exception>
    public void Embed(EcgRecord record, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(record);
        int m = _options.SamplesPerLead;
        if (destination.Length < GetDimension(record.LeadCount))
        {
            throw new ArgumentException($"Destination has {destination.Length} elements but {GetDimension(record.LeadCount)} are needed.", nameof(destination));
        }

        if (record.SampleCount < m)
        {
            throw new ArgumentException($"Record has {record.SampleCount} samples per lead, fewer than SamplesPerLead ({m}).", nameof(record));
        }

        int length = record.SampleCount;
        for (int lead = 0; lead < record.LeadCount; lead++)
        {
            ReadOnlySpan<float> x = record.GetLead(lead);
            Span<float> dst = destination.Slice(lead * m, m);
            for (int b = 0; b < m; b++)
            {
                // Bin b averages samples [b·L/M, (b+1)·L/M): a box filter, so downsampling does not alias high-frequency noise.
                int start = (int)((long)b * length / m), end = (int)((long)(b + 1) * length / m);
                double sum = 0;
                for (int i = start; i < end; i++)
                {
                    sum += x[i];
                }

                dst[b] = (float)(sum / (end - start));
            }

            if (_options.StandardizeLeads)
            {
                double mean = 0, var = 0;
                foreach (float v in dst)
                {
                    mean += v;
                }

                mean /= m;
                foreach (float v in dst)
                {
                    var += (v - mean) * (v - mean);
                }

                double sd = Math.Sqrt(var / m);
                for (int b = 0; b < m; b++)
                {
                    dst[b] = sd > 1e-12 ? (float)((dst[b] - mean) / sd) : 0f;
                }
            }
        }
    }

    /// <summary>Embeds a record into a new array.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The embedding.</returns>
    public float[] Embed(EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = new float[GetDimension(record.LeadCount)];
        Embed(record, result);
        return result;
    }

    /// <summary>Builds a cosine index of raw-signal embeddings: the k-NN baseline that learned embeddings must beat.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="records">Keyed records; all must have the same number of leads.</param>
    /// <param name="options">Index options; <see langword="null"/> for exact float32.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentException">There are no records, records differ in lead count, or a record's embedding is all zeros (every lead flat).</exception>
    public CosineRetriever<TKey> BuildIndex<TKey>(IEnumerable<(TKey Key, EcgRecord Record)> records, CosineRetrieverOptions? options = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(records);
        CosineRetriever<TKey>? index = null;
        float[]? buffer = null;
        int leads = -1;
        foreach ((TKey key, EcgRecord record) in records)
        {
            if (index is null)
            {
                leads = record.LeadCount;
                index = new CosineRetriever<TKey>(GetDimension(leads), options);
                buffer = new float[index.Dimension];
            }
            else if (record.LeadCount != leads)
            {
                throw new ArgumentException($"Record '{key}' has {record.LeadCount} leads but the first record has {leads}; select the same leads for all.", nameof(records));
            }

            Embed(record, buffer);
            index.Add(key, buffer);
        }

        return index ?? throw new ArgumentException("At least one record is needed to build an index (its lead count sets the dimension).", nameof(records));
    }
}
