using EcgVision.Retrieval;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>One archived case returned by a search.</summary>
/// <param name="Id">The case id (the record's <c>Metadata.Id</c> when it was indexed).</param>
/// <param name="Score">Cosine similarity to the query, higher = more similar, range [-1, 1].</param>
/// <param name="Report">The case's free-text report.</param>
/// <param name="Codes">The case's SCP (or other) statement codes.</param>
/// <param name="Superclasses">The case's diagnostic superclasses (PTB-XL: NORM, MI, STTC, CD, HYP).</param>
/// <param name="Source">Where the case came from (file or dataset), if known.</param>
public sealed record RetrievedCase(string Id, float Score, string? Report, IReadOnlyList<string> Codes, IReadOnlyList<string> Superclasses, string? Source);

/// <summary>The result of a case search: the most similar archived cases, best first, and a draft report built from them.</summary>
/// <param name="View">The name of the view (image source + model + index) that answered the query.</param>
/// <param name="Cases">The top cases, sorted by descending <see cref="RetrievedCase.Score"/>.</param>
/// <param name="DraftReport">A draft report from the neighbours' codes and reports (decision support only).</param>
public sealed record CaseSearchResult(string View, IReadOnlyList<RetrievedCase> Cases, DraftReport DraftReport)
{
    /// <summary>For an image query answered by digitising the printed ECG: the digitised signal and how it was read (rotation,
    /// scale, confidence, each lead's printed window); <see langword="null"/> otherwise.</summary>
    public Imaging.Digitization.PaperEcgDigitization? Digitization { get; init; }
}

/// <summary>The pipeline stage a <see cref="CaseRetrievalProgress"/> report belongs to.</summary>
public enum CaseRetrievalStage
{
    /// <summary>Turning records into model images.</summary>
    EncodingImages,

    /// <summary>Training the WordPiece vocabulary on the training reports.</summary>
    TrainingVocabulary,

    /// <summary>Contrastive training of a view's model (see <see cref="CaseRetrievalProgress.Training"/>).</summary>
    TrainingModel,

    /// <summary>Embedding records into a view's case index.</summary>
    Indexing,

    /// <summary>Computing held-out metrics.</summary>
    Evaluating,
}

/// <summary>Progress of a long pipeline step.</summary>
/// <param name="Stage">The current stage.</param>
/// <param name="View">The view being worked on, or <see langword="null"/> for shared steps.</param>
/// <param name="Completed">Units done (records, steps).</param>
/// <param name="Total">Units in all.</param>
/// <param name="Training">The trainer's own report during <see cref="CaseRetrievalStage.TrainingModel"/>.</param>
public sealed record CaseRetrievalProgress(CaseRetrievalStage Stage, string? View, long Completed, long Total, Training.TrainingProgress? Training = null);
