using EcgVision.Encoding;
using EcgVision.Retrieval;
using EcgVision.Retrieval.Evaluation;
using EcgVision.Signals;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>How well photo-like printout queries stand in for signal queries (<see cref="CaseRetrievalEvaluator.EvaluateImageView"/>).</summary>
/// <param name="View">The image view that answered the photo queries.</param>
/// <param name="Photo">Superclass precision@K and mAP@K of the augmented-printout queries through <paramref name="View"/>.</param>
/// <param name="Signal">The same for the signal queries through the default view (the reference).</param>
/// <param name="MeanTopKOverlap">Mean over queries of |photo top-K ∩ signal top-K| / K (1 = identical case lists, 0 = disjoint).</param>
/// <param name="QueryCount">Held-out queries.</param>
/// <param name="K">The cut-off.</param>
public sealed record ImageViewEvaluation(
    string View, LabelRetrievalMetrics Photo, LabelRetrievalMetrics Signal, double MeanTopKOverlap, int QueryCount, int K);

/// <content>Photo-query evaluation.</content>
public static partial class CaseRetrievalEvaluator
{
    /// <summary>Queries each held-out record twice — as a signal through the default view and as a photo-augmented printout
    /// (<c>Encode(record, x, augmentationSeedBase + i)</c>) through <paramref name="imageView"/> — and compares the two result lists.</summary>
    /// <param name="system">A trained, indexed system with the image view.</param>
    /// <param name="heldOut">Query records (never trained on); each query excludes its own id from the results.</param>
    /// <param name="imageView">The name of a view whose source is an <see cref="IEcgImageQuerySource"/>.</param>
    /// <param name="augmentationSeedBase">Seed of the first query's augmentation; pick one outside the training seeds
    /// (<see cref="EcgCaseRetrievalSystem.TrainingAugmentationSeed"/>).</param>
    /// <param name="options">Cut-off and relevance rule (the other settings are not used).</param>
    /// <param name="cancellationToken">Checked between queries.</param>
    /// <returns>Photo and signal precision/mAP and the mean top-K overlap.</returns>
    /// <exception cref="ArgumentException">The held-out set is empty, or the view's source cannot embed images.</exception>
    /// <exception cref="InvalidOperationException">The system is not trained or not indexed.</exception>
    /// <exception cref="KeyNotFoundException">No view has that name.</exception>
    public static ImageViewEvaluation EvaluateImageView(
        EcgCaseRetrievalSystem system, IReadOnlyList<EcgRecord> heldOut, string imageView, int augmentationSeedBase,
        CaseEvaluationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentException.ThrowIfNullOrWhiteSpace(imageView);
        options ??= new CaseEvaluationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.K, 1, "options.K");
        if (heldOut.Count == 0)
        {
            throw new ArgumentException("The held-out set is empty; evaluation needs query records.", nameof(heldOut));
        }

        if (system.GetSource(imageView) is not IEcgImageQuerySource source)
        {
            throw new ArgumentException(
                $"View '{imageView}' has a '{system.GetSource(imageView).Descriptor.Kind}' source, which cannot embed images; pick a printed-ECG view.", nameof(imageView));
        }

        var photoEmbedder = system.GetEmbedder(imageView);
        var (c, h, w) = source.Shape;
        var photos = new float[heldOut.Count][];
        Parallel.For(0, heldOut.Count, new ParallelOptions { MaxDegreeOfParallelism = system.Options.EncodingParallelism, CancellationToken = cancellationToken }, i =>
        {
            var image = new float[c * h * w];
            source.Encode(heldOut[i], image, unchecked(augmentationSeedBase + i));
            photos[i] = image;
        });

        var (photo, signal, overlap) = CompareWithSignalQueries(system, heldOut, options, cancellationToken,
            (q, filter) => system.SearchEmbedding(photoEmbedder.EmbedImage(photos[q]), options.K, filter, imageView));
        return new ImageViewEvaluation(imageView, photo, signal, overlap, heldOut.Count, options.K);
    }

    /// <summary>Queries each held-out record by its signal (default view) and by <paramref name="photoSearch"/> (null = the photo could
    /// not be read: nothing retrieved, overlap 0), and scores both lists and their mean top-K overlap.</summary>
    private static (LabelRetrievalMetrics Photo, LabelRetrievalMetrics Signal, double MeanOverlap) CompareWithSignalQueries(
        EcgCaseRetrievalSystem system, IReadOnlyList<EcgRecord> heldOut, CaseEvaluationOptions options, CancellationToken cancellationToken,
        Func<int, RetrievalFilter<string>?, IReadOnlyList<RetrievedCase>?> photoSearch)
    {
        int d = system.GetEmbedder().EmbeddingDim;
        float[] signals = system.EmbedRecords(heldOut, null, null, cancellationToken);
        var photoLabels = new IReadOnlyList<IReadOnlyCollection<string>>[heldOut.Count];
        var signalLabels = new IReadOnlyList<IReadOnlyCollection<string>>[heldOut.Count];
        double overlap = 0;
        for (int q = 0; q < heldOut.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? id = heldOut[q].Metadata.Id;
            var filter = id is null ? null : RetrievalFilter<string>.Exclude([id]);
            var bySignal = system.SearchEmbedding(signals.AsSpan(q * d, d), options.K, filter);
            var byPhoto = photoSearch(q, filter) ?? [];
            signalLabels[q] = bySignal.Select(x => (IReadOnlyCollection<string>)x.Superclasses).ToArray();
            photoLabels[q] = byPhoto.Select(x => (IReadOnlyCollection<string>)x.Superclasses).ToArray();
            var signalIds = bySignal.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
            overlap += byPhoto.Count(x => signalIds.Contains(x.Id)) / (double)options.K;
        }

        return (ScoreLabels(heldOut, photoLabels, options), ScoreLabels(heldOut, signalLabels, options), overlap / heldOut.Count);
    }
}
