using EcgVision.Encoding;
using EcgVision.Torch.Clip;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>Per-view training settings of an <see cref="EcgCaseRetrievalSystem"/> view; validated by <see cref="EcgCaseRetrievalSystem.AddView"/>.</summary>
/// <remarks>Training-time only: a saved system keeps each view's model and image source, not these settings.</remarks>
public sealed record CaseRetrievalViewOptions
{
    /// <summary>Training epochs of this view; <see langword="null"/> (default) for <c>Options.Training.Epochs</c>. At least 1.</summary>
    public int? Epochs { get; init; }

    /// <summary>Photo-augmented copies of each training record. <see langword="null"/> (default): 1 for an
    /// <see cref="IEcgImageQuerySource"/> (a printed-ECG view, which is queried with photos), 0 otherwise. With 0 the view trains on the
    /// deterministic images; with N ≥ 1 it trains on N augmented images per record instead (<c>Encode(record, x, seed)</c>, seeds from
    /// <see cref="EcgCaseRetrievalSystem.TrainingAugmentationSeed"/>). The index is always built from the un-augmented images. At most 16.</summary>
    public int? AugmentedCopies { get; init; }

    /// <summary>Train this view on at most this many of the training records (the first ones); <see langword="null"/> (default) for all.
    /// At least 2. The tokenizer and the other views still use every record.</summary>
    public int? MaxTrainingRecords { get; init; }

    /// <summary>This view's model shape; <see langword="null"/> (default) for <c>Options.Model</c> or the compact default. Must match the
    /// source's image size and channels.</summary>
    public EcgClipConfig? Model { get; init; }
}
