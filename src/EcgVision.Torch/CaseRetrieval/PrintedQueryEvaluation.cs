using EcgVision.Imaging.Digitization;
using EcgVision.Imaging.Rendering;
using EcgVision.Retrieval;
using EcgVision.Retrieval.Evaluation;
using EcgVision.Signals;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>Settings of <see cref="CaseRetrievalEvaluator.EvaluatePrintedQueries"/>.</summary>
public sealed record PrintedQueryEvaluationOptions
{
    /// <summary>How each held-out record is printed. Default: letter landscape at 150 DPI (about a 1650 × 1275 photo), 3 × 4 with a
    /// lead II rhythm strip, red grid, no header.</summary>
    public PaperEcgRenderOptions Render { get; init; } = new() { Dpi = 150, ShowHeader = false };

    /// <summary>The photo-like degradation of each printout (rotation, perspective, creases, lighting, blur, noise, JPEG);
    /// <see langword="null"/> queries with the clean printout. Default: <see cref="PaperEcgAugmentationOptions.Default"/>.</summary>
    public PaperEcgAugmentationOptions? Augmentation { get; init; } = PaperEcgAugmentationOptions.Default;

    /// <summary>Augmentation seed of the first query (query <c>i</c> uses this + <c>i</c>); keep it away from training seeds.
    /// Default 2,000,000,001.</summary>
    public int AugmentationSeedBase { get; init; } = 2_000_000_001;

    /// <summary>Cut-off and relevance rule. Default: K = 10, any shared superclass.</summary>
    public CaseEvaluationOptions Evaluation { get; init; } = new();

    /// <summary>Threads for printing and digitising. Default: the processor count.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>How well photos of printouts, digitised back to signals, stand in for the signals themselves
/// (<see cref="CaseRetrievalEvaluator.EvaluatePrintedQueries"/>).</summary>
/// <param name="Photo">Superclass precision@K and mAP@K of the photo queries (digitised, then searched through the signal view); a
/// photo the digitiser could not read counts as a query that retrieved nothing relevant.</param>
/// <param name="Signal">The same for the original signals (the reference).</param>
/// <param name="MeanTopKOverlap">Mean over all queries of |photo top-K ∩ signal top-K| / K (a failed photo counts 0).</param>
/// <param name="QueryCount">Held-out queries.</param>
/// <param name="K">The cut-off.</param>
/// <param name="Digitized">Photos the digitiser read and the signal view could encode.</param>
/// <param name="MeanConfidence">Mean digitiser confidence over the photos it read.</param>
/// <param name="MeanLeadCorrelation">Mean Pearson correlation between each digitised lead and the original (at the digitiser's rate,
/// inside the lead's printed window), over the photos it read.</param>
/// <param name="Failures">The first few failure messages (at most 5).</param>
public sealed record PrintedQueryEvaluation(
    LabelRetrievalMetrics Photo, LabelRetrievalMetrics Signal, double MeanTopKOverlap, int QueryCount, int K,
    int Digitized, double MeanConfidence, double MeanLeadCorrelation, IReadOnlyList<string> Failures);

/// <content>Printed-ECG (digitised photo) evaluation.</content>
public static partial class CaseRetrievalEvaluator
{
    /// <summary>Queries each held-out record twice, as its signal and as a photo of its paper printout digitised back to a signal
    /// (<see cref="EcgCaseRetrievalSystem.Digitizer"/>), both through the signal view, and compares the two result lists.</summary>
    /// <param name="system">A trained, indexed system with a digitiser.</param>
    /// <param name="heldOut">Query records (never trained on); each query excludes its own id from the results.</param>
    /// <param name="options">Printing, photo degradation and cut-off; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Optional progress (stage <see cref="CaseRetrievalStage.Evaluating"/>, view <c>photo</c>).</param>
    /// <param name="cancellationToken">Checked between queries.</param>
    /// <returns>Photo and signal precision/mAP, the top-K overlap and the digitiser's success and accuracy.</returns>
    /// <exception cref="ArgumentException">The held-out set is empty, or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The system has no digitiser, or is not trained or not indexed.</exception>
    public static PrintedQueryEvaluation EvaluatePrintedQueries(
        EcgCaseRetrievalSystem system, IReadOnlyList<EcgRecord> heldOut, PrintedQueryEvaluationOptions? options = null,
        IProgress<CaseRetrievalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(heldOut);
        options ??= new PrintedQueryEvaluationOptions();
        ArgumentNullException.ThrowIfNull(options.Render, "options.Render");
        ArgumentNullException.ThrowIfNull(options.Evaluation, "options.Evaluation");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Evaluation.K, 1, "options.Evaluation.K");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDegreeOfParallelism, 1, "options.MaxDegreeOfParallelism");
        if (heldOut.Count == 0)
        {
            throw new ArgumentException("The held-out set is empty; evaluation needs query records.", nameof(heldOut));
        }

        var digitizerOptions = system.Options.Digitizer ?? throw new InvalidOperationException(
            "The system has no digitiser (options.Digitizer is null); printed-ECG queries through the signal view need one.");
        int k = options.Evaluation.K;
        var photographer = new PaperEcgRenderer(options.Render with { Augmentation = options.Augmentation });
        var source = system.GetSource();
        var (c, h, w) = source.Shape;
        var images = new float[heldOut.Count][];
        var confidences = new double[heldOut.Count];
        var correlations = new double[heldOut.Count];
        var errors = new string?[heldOut.Count];
        int done = 0;
        using var digitizers = new ThreadLocal<PaperEcgDigitizer>(() => new PaperEcgDigitizer(digitizerOptions));
        Parallel.For(0, heldOut.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
        {
            var record = heldOut[i].ToStandardTwelveLead();
            try
            {
                var digitized = digitizers.Value!.Digitize(photographer.Render(record, unchecked(options.AugmentationSeedBase + i)));
                if (digitized.Confidence < system.Options.MinimumDigitizationConfidence)
                {
                    throw new EcgFormatException(FormattableString.Invariant($"confidence {digitized.Confidence:0.00} below the system's minimum"));
                }

                var image = new float[c * h * w];
                source.Encode(digitized.Record, image);
                images[i] = image;
                confidences[i] = digitized.Confidence;
                correlations[i] = MeanWindowCorrelation(record, digitized);
            }
            catch (Exception ex) when (ex is EcgFormatException or ArgumentException)
            {
                errors[i] = $"{record.Metadata.Id ?? $"query {i}"}: {ex.Message}";
            }

            progress?.Report(new CaseRetrievalProgress(CaseRetrievalStage.Evaluating, "photo", Interlocked.Increment(ref done), heldOut.Count));
        });

        var embedder = system.GetEmbedder();
        var (photo, signal, overlap) = CompareWithSignalQueries(system, heldOut, options.Evaluation, cancellationToken,
            (q, filter) => images[q] is null ? null : system.SearchEmbedding(embedder.EmbedImage(images[q]), k, filter));
        int digitizedCount = images.Count(x => x is not null);
        double Mean(double[] values) => digitizedCount == 0 ? double.NaN : values.Where((_, i) => images[i] is not null).Average();
        return new PrintedQueryEvaluation(
            photo, signal, overlap, heldOut.Count, k, digitizedCount, Mean(confidences), Mean(correlations), errors.Where(e => e is not null).Take(5).ToArray()!);
    }

    /// <summary>Mean Pearson correlation of the digitised leads with the original (<see cref="DigitizationAgreement.Compare"/>).</summary>
    private static double MeanWindowCorrelation(EcgRecord original, PaperEcgDigitization digitized)
    {
        var r = DigitizationAgreement.Compare(digitized, original).Select(a => a.Correlation).Where(double.IsFinite).ToArray();
        return r.Length == 0 ? double.NaN : r.Average();
    }
}
