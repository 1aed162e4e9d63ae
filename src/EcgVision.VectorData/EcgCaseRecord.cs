using EcgVision.Retrieval;

namespace EcgVision.VectorData;

/// <summary>A past ECG case as a VectorData record: key, embedding and the <see cref="CaseMetadata"/> fields.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
public sealed class EcgCaseRecord<TKey>
    where TKey : notnull
{
    /// <summary>The case key.</summary>
    public required TKey Key { get; set; }

    /// <summary>The embedding (empty when a read did not ask for vectors).</summary>
    public ReadOnlyMemory<float> Embedding { get; set; }

    /// <summary>The report text, if any.</summary>
    public string? Report { get; set; }

    /// <summary>Diagnostic statement codes.</summary>
    public IReadOnlyList<string> Codes { get; set; } = [];

    /// <summary>Diagnostic superclasses.</summary>
    public IReadOnlyList<string> Superclasses { get; set; } = [];

    /// <summary>Where the case came from.</summary>
    public string? Source { get; set; }

    /// <summary>The metadata part of the record.</summary>
    /// <returns>A new <see cref="CaseMetadata"/>.</returns>
    public CaseMetadata ToMetadata() => new() { Report = Report, Codes = Codes, Superclasses = Superclasses, Source = Source };
}
