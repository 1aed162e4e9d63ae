namespace EcgVision.Retrieval;

/// <summary>Behaviour knobs of <see cref="CosineRetriever{TKey}"/>; validated by its constructor.</summary>
public sealed record CosineRetrieverOptions
{
    /// <summary>Row storage used for scanning. Default <see cref="RetrieverStorage.Float32"/> (exact).</summary>
    public RetrieverStorage Storage { get; init; } = RetrieverStorage.Float32;

    /// <summary>
    /// With compact storage, how many candidates per requested hit are re-scored exactly in float32: the scan keeps
    /// <c>max(top × RescoreFactor, top + 32)</c> candidates. Default 4; must be at least 1. Ignored for float32 storage.
    /// </summary>
    public int RescoreFactor { get; init; } = 4;

    /// <summary>Rows reserved up front. Default 1024; must be at least 1.</summary>
    public int InitialCapacity { get; init; } = 1024;

    /// <summary>
    /// Fraction of removed (tombstoned) rows above which the store is compacted. Default 0.25; must be in (0, 1].
    /// </summary>
    public double CompactionThreshold { get; init; } = 0.25;
}
