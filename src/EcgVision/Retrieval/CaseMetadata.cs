namespace EcgVision.Retrieval;

/// <summary>What a retrieval index remembers about a past case besides its embedding: its report, codes and source.</summary>
/// <remarks>Saved beside the vectors by <see cref="CosineRetriever{TKey}.Save(string, IReadOnlyDictionary{TKey, CaseMetadata}?)"/> as a JSON section of the same file.</remarks>
public sealed record CaseMetadata
{
    /// <summary>The free-text report of the case, if any.</summary>
    public string? Report { get; init; }

    /// <summary>Diagnostic statement codes (e.g. SCP-ECG codes such as <c>NORM</c>, <c>IMI</c>).</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>Diagnostic superclasses (e.g. PTB-XL's <c>NORM</c>, <c>MI</c>, <c>STTC</c>, <c>CD</c>, <c>HYP</c>).</summary>
    public IReadOnlyList<string> Superclasses { get; init; } = [];

    /// <summary>Where the case came from (data set, file or record id).</summary>
    public string? Source { get; init; }
}
