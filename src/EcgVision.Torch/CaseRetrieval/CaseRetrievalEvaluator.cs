using EcgVision.Retrieval;
using EcgVision.Retrieval.Evaluation;
using EcgVision.Signals;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>Settings of <see cref="CaseRetrievalEvaluator.Evaluate"/>.</summary>
public sealed record CaseEvaluationOptions
{
    /// <summary>Cut-off K of precision@K and mAP@K (default 10).</summary>
    public int K { get; init; } = 10;

    /// <summary>Relevance rule for precision/mAP (default: the cases share a diagnostic superclass).</summary>
    public LabelMatch Match { get; init; } = LabelMatch.SharedLabel;

    /// <summary>Zero-shot text prompt per superclass (PTB-XL's NORM, MI, STTC, CD, HYP by default).</summary>
    public IReadOnlyDictionary<string, string> ClassPrompts { get; init; } = DefaultClassPrompts;

    /// <summary>Seed of the randomly initialised baseline model.</summary>
    public int RandomModelSeed { get; init; } = 12345;

    /// <summary>Raw-signal baseline settings (downsampling, normalisation).</summary>
    public RawSignalEmbeddingOptions RawSignal { get; init; } = new();

    /// <summary>The default prompts: the wording PTB-XL-style reports use for each superclass.</summary>
    public static IReadOnlyDictionary<string, string> DefaultClassPrompts { get; } = new Dictionary<string, string>
    {
        ["NORM"] = "sinus rhythm. normal ecg.",
        ["MI"] = "myocardial infarction",
        ["STTC"] = "non-specific st changes",
        ["CD"] = "bundle branch block. av block.",
        ["HYP"] = "left ventricular hypertrophy",
    };
}

/// <summary>The held-out scores of one method.</summary>
/// <param name="Method">Display name ("model", "random model", "raw signal k-NN").</param>
/// <param name="Label">Superclass precision@K and mAP@K of ECG → archive retrieval.</param>
/// <param name="CrossModal">ECG→report and report→ECG recall@1/5/10 among the held-out pairs; <see langword="null"/> where the method has no text side.</param>
/// <param name="ReportOverlap">BLEU-1/4 and ROUGE-L of the top-1 retrieved case's report against the query's true report.</param>
/// <param name="ZeroShot">Zero-shot macro AUROC over the superclasses from text prompts; <see langword="null"/> without a text side.</param>
public sealed record CaseRetrievalScores(
    string Method, LabelRetrievalMetrics Label, CrossModalRetrievalMetrics? CrossModal, ReportOverlapMetrics ReportOverlap, MacroAurocMetrics? ZeroShot);

/// <summary>Held-out evaluation of a trained system against its two baselines.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="RandomModel">A randomly initialised model of the same shape, same image source and tokenizer.</param>
/// <param name="RawSignal">k-NN on the downsampled, z-scored raw signal (<see cref="RawSignalEmbedding"/>).</param>
/// <param name="ArchiveCount">Cases in the searched archive.</param>
/// <param name="QueryCount">Held-out query records.</param>
/// <param name="K">The cut-off of precision@K and mAP@K.</param>
public sealed record CaseRetrievalEvaluation(
    CaseRetrievalScores Model, CaseRetrievalScores RandomModel, CaseRetrievalScores RawSignal, int ArchiveCount, int QueryCount, int K)
{
    /// <summary>The three rows, model first.</summary>
    public IReadOnlyList<CaseRetrievalScores> Rows => [Model, RandomModel, RawSignal];
}

/// <summary>Evaluates an <see cref="EcgCaseRetrievalSystem"/> on held-out records against a random-model and a raw-signal baseline.</summary>
public static partial class CaseRetrievalEvaluator
{
    /// <summary>Computes every metric for the model and both baselines.</summary>
    /// <param name="system">A trained system. If its default view holds no cases, <paramref name="archive"/> is indexed into it first;
    /// otherwise its index is taken to be <paramref name="archive"/>.</param>
    /// <param name="archive">The archive the baselines index (the training records).</param>
    /// <param name="heldOut">Query records with reports (and superclasses for precision/mAP/AUROC); never used in training.</param>
    /// <param name="options">Cut-off, prompts, seeds.</param>
    /// <param name="progress">Receives indexing/evaluation progress.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    /// <returns>The three rows of scores.</returns>
    /// <exception cref="ArgumentException">The archive or held-out set is empty, or a held-out record has no report.</exception>
    /// <exception cref="InvalidOperationException">The system is not trained.</exception>
    public static CaseRetrievalEvaluation Evaluate(
        EcgCaseRetrievalSystem system, IReadOnlyList<EcgRecord> archive, IReadOnlyList<EcgRecord> heldOut, CaseEvaluationOptions? options = null,
        IProgress<CaseRetrievalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(heldOut);
        options ??= new CaseEvaluationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.K, 1, "options.K");
        if (archive.Count == 0)
        {
            throw new ArgumentException("The archive is empty; evaluation needs cases to retrieve.", nameof(archive));
        }

        if (heldOut.Count == 0)
        {
            throw new ArgumentException("The held-out set is empty; evaluation needs query records.", nameof(heldOut));
        }

        for (int i = 0; i < heldOut.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(heldOut[i]?.Metadata.Report))
            {
                throw new ArgumentException($"heldOut[{i}] (id '{heldOut[i]?.Metadata.Id ?? "(none)"}') has no report; every query needs one.", nameof(heldOut));
            }
        }

        if (!system.IsTrained)
        {
            throw new InvalidOperationException("The system is not trained; train or load it before evaluating.");
        }

        if (system.IndexedCount == 0)
        {
            system.IndexCases(archive, progress, cancellationToken);
        }

        var model = ScoreModel("model", system, heldOut, options, progress, cancellationToken);
        using var random = system.CreateRandomBaseline(options.RandomModelSeed);
        random.IndexCases(archive, progress, cancellationToken);
        var randomScores = ScoreModel("random model", random, heldOut, options, progress, cancellationToken);
        var raw = ScoreRawSignal(archive, heldOut, options, cancellationToken);
        return new CaseRetrievalEvaluation(model, randomScores, raw, system.IndexedCount, heldOut.Count, options.K);
    }

    private static CaseRetrievalScores ScoreModel(
        string name, EcgCaseRetrievalSystem system, IReadOnlyList<EcgRecord> heldOut, CaseEvaluationOptions options,
        IProgress<CaseRetrievalProgress>? progress, CancellationToken cancellationToken)
    {
        int d = system.GetEmbedder().EmbeddingDim;
        float[] images = system.EmbedRecords(heldOut, null, progress, cancellationToken);
        float[] texts = system.EmbedReports(heldOut.Select(r => r.Metadata.Report!).ToArray());
        var retrieved = new List<IReadOnlyList<RetrievedCase>>(heldOut.Count);
        for (int q = 0; q < heldOut.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? id = heldOut[q].Metadata.Id;
            var filter = id is null ? null : RetrievalFilter<string>.Exclude([id]);
            retrieved.Add(SearchEmbedding(system, images.AsSpan(q * d, d), options.K, filter));
        }

        var crossModal = CrossModalRetrieval.Compute(images, texts, d);
        var labels = ScoreLabels(heldOut, retrieved.Select(r => (IReadOnlyList<IReadOnlyCollection<string>>)r.Select(c => (IReadOnlyCollection<string>)c.Superclasses).ToArray()).ToArray(), options);
        var overlap = ReportOverlap.Evaluate(retrieved.Select(r => r.Count > 0 ? r[0].Report ?? string.Empty : string.Empty).ToArray(), heldOut.Select(r => r.Metadata.Report!).ToArray());

        var classes = options.ClassPrompts.Keys.ToArray();
        float[] prompts = system.EmbedReports(classes.Select(c => options.ClassPrompts[c]).ToArray());
        float[] scores = ClassificationMetrics.ZeroShotScores(images, prompts, d);
        var truth = new bool[heldOut.Count * classes.Length];
        for (int q = 0; q < heldOut.Count; q++)
        {
            for (int c = 0; c < classes.Length; c++)
            {
                truth[(q * classes.Length) + c] = heldOut[q].Metadata.Superclasses.Contains(classes[c], StringComparer.OrdinalIgnoreCase);
            }
        }

        var auroc = ClassificationMetrics.MacroAuroc(scores, truth, classes.Length);
        return new CaseRetrievalScores(name, labels, crossModal, overlap, auroc);
    }

    private static IReadOnlyList<RetrievedCase> SearchEmbedding(EcgCaseRetrievalSystem system, ReadOnlySpan<float> query, int k, RetrievalFilter<string>? filter) =>
        system.SearchEmbedding(query, k, filter);

    private static CaseRetrievalScores ScoreRawSignal(IReadOnlyList<EcgRecord> archive, IReadOnlyList<EcgRecord> heldOut, CaseEvaluationOptions options, CancellationToken cancellationToken)
    {
        var raw = new RawSignalEmbedding(options.RawSignal);
        var keys = archive.Select((r, i) => r.Metadata.Id ?? $"case-{i}").ToArray();
        using var index = raw.BuildIndex(archive.Select((r, i) => (keys[i], r.ToStandardTwelveLead())));
        var byKey = new Dictionary<string, EcgRecord>(StringComparer.Ordinal);
        for (int i = 0; i < archive.Count; i++)
        {
            byKey[keys[i]] = archive[i];
        }

        var retrievedLabels = new IReadOnlyList<IReadOnlyCollection<string>>[heldOut.Count];
        var top1 = new string[heldOut.Count];
        for (int q = 0; q < heldOut.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? id = heldOut[q].Metadata.Id;
            var hits = index.Search(raw.Embed(heldOut[q].ToStandardTwelveLead()), options.K, id is null ? null : RetrievalFilter<string>.Exclude([id]));
            retrievedLabels[q] = hits.Select(h => (IReadOnlyCollection<string>)byKey[h.Key].Metadata.Superclasses).ToArray();
            top1[q] = hits.Count > 0 ? byKey[hits[0].Key].Metadata.Report ?? string.Empty : string.Empty;
        }

        return new CaseRetrievalScores(
            "raw signal k-NN", ScoreLabels(heldOut, retrievedLabels, options), null,
            ReportOverlap.Evaluate(top1, heldOut.Select(r => r.Metadata.Report!).ToArray()), null);
    }

    private static LabelRetrievalMetrics ScoreLabels(
        IReadOnlyList<EcgRecord> heldOut, IReadOnlyList<IReadOnlyList<IReadOnlyCollection<string>>> retrieved, CaseEvaluationOptions options)
    {
        var queryLabels = heldOut.Select(r => (IReadOnlyCollection<string>)r.Metadata.Superclasses).ToArray();
        if (queryLabels.All(l => l.Count == 0))
        {
            return new LabelRetrievalMetrics(double.NaN, double.NaN, options.K, 0);
        }

        return LabelRetrieval.Compute(queryLabels, retrieved, options.K, options.Match);
    }
}
