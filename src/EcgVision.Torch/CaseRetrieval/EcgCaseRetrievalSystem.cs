using System.Runtime.CompilerServices;
using EcgVision.Encoding;
using EcgVision.Imaging.Digitization;
using EcgVision.Retrieval;
using EcgVision.Signals;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Native;
using EcgVision.Torch.Tokenization;
using EcgVision.Torch.Training;
using TorchSharp;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>
/// The whole case-retrieval pipeline in one object: image source(s) → CLIP model(s) → case index → similar cases and a draft report.
/// </summary>
/// <remarks>
/// <para>A system holds one or more <em>views</em>. A view is an image source (how a record becomes a model image), a CLIP model trained
/// through that source, and a <see cref="CosineRetriever{TKey}"/> of the archived cases embedded by the model's image tower. The default
/// view, <see cref="SignalView"/>, turns signals into GAF/RP/MTF images; a printed-ECG view (an <see cref="IEcgImageQuerySource"/>)
/// added through <see cref="AddView"/> can answer photo or scan queries directly. By default an image query
/// (<see cref="SearchImage"/>) is digitised back to a signal (<see cref="Digitizer"/>) and searched through the signal view, so a
/// photo of a printout finds the same cases as its signal. All views share one WordPiece tokenizer trained on the training reports.</para>
/// <para>Life cycle: construct → <see cref="Train"/> → <see cref="IndexCases"/> → <see cref="Search(EcgRecord, int, RetrievalFilter{string}?, string?)"/>;
/// or <see cref="Save"/> and <see cref="Load"/> one folder (manifest, tokenizer, one checkpoint and one index per view). Searches may run
/// on several threads at once; training and indexing must not overlap with anything else.</para>
/// </remarks>
public sealed partial class EcgCaseRetrievalSystem : IDisposable
{
    /// <summary>The name of the default view (signal → image source given to the constructor).</summary>
    public const string SignalView = "signal";

    private readonly List<CaseRetrievalView> views = [];
    private WordPieceReportTokenizer? tokenizer;
    private bool disposed;

    /// <summary>Creates an untrained system with one view, <see cref="SignalView"/>.</summary>
    /// <param name="signalSource">How records become model images; <see langword="null"/> for <c>new QiuImageSource(64)</c>.</param>
    /// <param name="options">Model, training and drafting settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names the setting).</exception>
    public EcgCaseRetrievalSystem(IEcgImageSource? signalSource = null, EcgCaseRetrievalOptions? options = null)
    {
        Options = options ?? new EcgCaseRetrievalOptions();
        ArgumentNullException.ThrowIfNull(Options.Training, "options.Training");
        ArgumentNullException.ThrowIfNull(Options.Vocabulary, "options.Vocabulary");
        ArgumentNullException.ThrowIfNull(Options.Drafter, "options.Drafter");
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.EncodingParallelism, 1, "options.EncodingParallelism");
        if (!(Options.MinimumDigitizationConfidence is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException("options.MinimumDigitizationConfidence", Options.MinimumDigitizationConfidence, "MinimumDigitizationConfidence must be between 0 and 1.");
        }

        Drafter = new ReportDrafter(Options.Drafter);
        Digitizer = Options.Digitizer is null ? null : new PaperEcgDigitizer(Options.Digitizer);
        TorchRuntime.EnsureInitialized();
        AddView(SignalView, signalSource ?? new QiuImageSource(64));
    }

    /// <summary>The settings the system was built with.</summary>
    public EcgCaseRetrievalOptions Options { get; }

    /// <summary>The view names, the default view first.</summary>
    public IReadOnlyList<string> ViewNames => views.Select(v => v.Name).ToArray();

    /// <summary>Whether every view has a model (trained or loaded).</summary>
    public bool IsTrained => tokenizer is not null && views.All(v => v.Model is not null);

    /// <summary>The number of cases in the default view's index.</summary>
    public int IndexedCount => views[0].Index?.Count ?? 0;

    /// <summary>The shared report tokenizer, or <see langword="null"/> before training.</summary>
    public IReportTokenizer? Tokenizer => tokenizer;

    private ReportDrafter Drafter { get; }

    /// <summary>Adds a view (image source + its own model and index), e.g. the printed-ECG view. Call before <see cref="Train"/>.</summary>
    /// <param name="name">A unique view name (letters, digits, '-' and '_').</param>
    /// <param name="source">The view's image source; an <see cref="IEcgImageQuerySource"/> also answers image queries.</param>
    /// <param name="options">Per-view training settings (epochs, augmented copies, record cap, model); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The name is invalid or already used, or an option is out of range (the message names it).</exception>
    /// <exception cref="InvalidOperationException">The system is already trained.</exception>
    public void AddView(string name, IEcgImageSource source, CaseRetrievalViewOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"View name must use only ASCII letters, digits, '-' and '_' (got '{name}').", nameof(name));
        }

        if (views.Any(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"A view named '{name}' already exists.", nameof(name));
        }

        if (views.Count > 0 && IsTrained)
        {
            throw new InvalidOperationException($"Cannot add view '{name}': the system is already trained; add views before Train.");
        }

        var (c, h, w) = source.Shape;
        if (h != w)
        {
            throw new ArgumentException($"The image source of view '{name}' must produce square images (got [{c}, {h}, {w}]).", nameof(source));
        }

        options ??= new CaseRetrievalViewOptions();
        if (options.Epochs is < 1)
        {
            throw new ArgumentException($"options.Epochs of view '{name}' must be at least 1 (got {options.Epochs}).", nameof(options));
        }

        if (options.AugmentedCopies is < 0 or > 16)
        {
            throw new ArgumentException($"options.AugmentedCopies of view '{name}' must be between 0 and 16 (got {options.AugmentedCopies}).", nameof(options));
        }

        if (options.MaxTrainingRecords is < 2)
        {
            throw new ArgumentException($"options.MaxTrainingRecords of view '{name}' must be at least 2 (got {options.MaxTrainingRecords}).", nameof(options));
        }

        views.Add(new CaseRetrievalView(name, source, options));
    }

    /// <summary>The augmentation seed of copy <paramref name="copy"/> of training record <paramref name="record"/> in the view at
    /// position <paramref name="viewIndex"/>: <c>seed·1,000,003 + viewIndex·65,537 + copy·10,000,019 + record</c> (wrapping). Queries that
    /// must not reuse a training photo use seeds outside this set (the demo uses 2,000,000,001 + i).</summary>
    /// <param name="seed">The training seed (<c>Options.Training.Seed</c>).</param>
    /// <param name="viewIndex">The view's position in <see cref="ViewNames"/>.</param>
    /// <param name="copy">The copy, 0-based.</param>
    /// <param name="record">The record's position in the training list.</param>
    /// <returns>The seed.</returns>
    public static int TrainingAugmentationSeed(int seed, int viewIndex, int copy, int record) =>
        unchecked((seed * 1_000_003) + (viewIndex * 65_537) + (copy * 10_000_019) + record);

    /// <summary>Returns a view's image source.</summary>
    /// <param name="view">The view name; <see langword="null"/> for <see cref="SignalView"/>.</param>
    /// <returns>The source.</returns>
    /// <exception cref="KeyNotFoundException">No view has that name.</exception>
    public IEcgImageSource GetSource(string? view = null) => GetView(view).Source;

    /// <summary>Returns a view's embedder (image and text towers) for custom evaluation.</summary>
    /// <param name="view">The view name; <see langword="null"/> for <see cref="SignalView"/>.</param>
    /// <returns>The embedder, owned by the system.</returns>
    /// <exception cref="InvalidOperationException">The system is not trained.</exception>
    /// <exception cref="KeyNotFoundException">No view has that name.</exception>
    public EcgEmbedder GetEmbedder(string? view = null) => RequireEmbedder(GetView(view));

    /// <summary>Trains the tokenizer on the training reports, then one CLIP model per view.</summary>
    /// <param name="train">Training records; each needs a non-empty <c>Metadata.Report</c> and the 12 standard leads.</param>
    /// <param name="validation">Optional validation records (per-epoch recall; best-epoch keeping uses the trainer's rules).</param>
    /// <param name="progress">Receives encoding, vocabulary and per-step training progress.</param>
    /// <param name="cancellationToken">Checked between records and before every training step.</param>
    /// <returns>The training result of each view, by view name.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 training records, or a record without a report (named by id and position).</exception>
    /// <exception cref="InvalidOperationException">The system is already trained.</exception>
    public IReadOnlyDictionary<string, TrainingResult> Train(
        IEnumerable<EcgRecord> train, IEnumerable<EcgRecord>? validation = null, IProgress<CaseRetrievalProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (IsTrained)
        {
            throw new InvalidOperationException("The system is already trained; create a new one (or Load a saved one) to train again.");
        }

        var trainRecords = RequireReports(train, nameof(train));
        if (trainRecords.Count < 2)
        {
            throw new ArgumentException($"Training needs at least 2 records with reports (got {trainRecords.Count}).", nameof(train));
        }

        var validationRecords = validation is null ? null : RequireReports(validation, nameof(validation));
        if (validationRecords is { Count: 0 })
        {
            validationRecords = null;
        }

        progress?.Report(new CaseRetrievalProgress(CaseRetrievalStage.TrainingVocabulary, null, 0, 1));
        var vocabularyTrainer = new WordPieceVocabularyTrainer(Options.Vocabulary);
        tokenizer = WordPieceReportTokenizer.FromTrainer(vocabularyTrainer, trainRecords.Select(r => r.Metadata.Report!));
        progress?.Report(new CaseRetrievalProgress(CaseRetrievalStage.TrainingVocabulary, null, 1, 1));

        var results = new Dictionary<string, TrainingResult>(StringComparer.OrdinalIgnoreCase);
        try
        {
            for (int viewIndex = 0; viewIndex < views.Count; viewIndex++)
            {
                var view = views[viewIndex];
                var viewRecords = view.Options.MaxTrainingRecords is int cap && cap < trainRecords.Count ? trainRecords.Take(cap).ToList() : trainRecords;
                int copies = view.Options.AugmentedCopies ?? (view.Source is IEcgImageQuerySource ? 1 : 0);
                var trainSet = copies == 0
                    ? new InMemoryClipDataset(EncodeImages(view, viewRecords, progress, cancellationToken).Select((x, i) => new ClipSample(x, viewRecords[i].Metadata.Report!)))
                    : new InMemoryClipDataset(EncodeAugmented(view, viewIndex, viewRecords, copies, progress, cancellationToken)
                        .Select((x, j) => new ClipSample(x, viewRecords[j % viewRecords.Count].Metadata.Report!)));
                InMemoryClipDataset? validationSet = null;
                if (validationRecords is not null)
                {
                    var validationImages = EncodeImages(view, validationRecords, progress, cancellationToken);
                    validationSet = new InMemoryClipDataset(validationRecords.Select((r, i) => new ClipSample(validationImages[i], r.Metadata.Report!)));
                }

                var trainerProgress = progress is null ? null : new SynchronousProgress<TrainingProgress>(p =>
                    progress.Report(new CaseRetrievalProgress(CaseRetrievalStage.TrainingModel, view.Name, p.Step, p.TotalSteps, p)));
                var trainingOptions = Options.Training with { Epochs = view.Options.Epochs ?? Options.Training.Epochs };
                if (trainingOptions.CheckpointDirectory is { } root)
                {
                    trainingOptions = trainingOptions with { CheckpointDirectory = Path.Combine(root, view.Name) };
                }

                string? last = trainingOptions.CheckpointDirectory is { } dir ? Path.Combine(dir, "last") : null;
                if (Options.Resume && last is not null && Directory.Exists(last))
                {
                    // The vocabulary is retrained from the same reports, so it is identical to the checkpoint's.
                    using (var resumed = ContrastiveTrainer.Resume(last, tokenizer, trainingOptions))
                    {
                        results[view.Name] = resumed.Train(trainSet, validationSet, trainerProgress, cancellationToken);
                    }

                    view.SetModel(EcgClipCheckpoint.LoadModel(last), tokenizer, Options.Training.MaxTextLength);
                    continue;
                }

                view.SetModel(CreateModel(view.Source, view.Options.Model, Options.Training.Seed), tokenizer, Options.Training.MaxTextLength);
                using var trainer = new ContrastiveTrainer(view.Model!, tokenizer, trainingOptions);
                results[view.Name] = trainer.Train(trainSet, validationSet, trainerProgress, cancellationToken);
            }
        }
        catch
        {
            tokenizer = null;
            foreach (var view in views)
            {
                view.ClearModel();
            }

            throw;
        }

        return results;
    }

    /// <summary>Creates a system of the same views, tokenizer and model shape whose models are freshly initialised and never trained — the "random model" baseline.</summary>
    /// <param name="seed">Seed of the random initial weights.</param>
    /// <returns>A new, un-indexed system (dispose it).</returns>
    /// <exception cref="InvalidOperationException">This system is not trained (no tokenizer to share).</exception>
    public EcgCaseRetrievalSystem CreateRandomBaseline(int seed = 12345)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var tok = tokenizer ?? throw new InvalidOperationException("The system is not trained: train or load it before creating its random baseline.");
        var copy = new EcgCaseRetrievalSystem(views[0].Source, Options);
        foreach (var view in views.Skip(1))
        {
            copy.AddView(view.Name, view.Source, view.Options);
        }

        copy.tokenizer = tok;
        foreach (var (view, original) in copy.views.Zip(views))
        {
            var config = original.Model!.Config;
            torch.manual_seed(seed);
            view.SetModel(new EcgClipModel(config), tok, original.Embedder!.MaxTextLength);
            view.ShareCache(original);
        }

        return copy;
    }

    /// <summary>Embeds records with each view's image tower and adds them to the views' case indexes.</summary>
    /// <param name="records">The archive; each record's <c>Metadata.Id</c> is its key (records without an id get <c>case-N</c>).</param>
    /// <param name="progress">Receives encoding and indexing progress.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The number of cases added.</returns>
    /// <exception cref="InvalidOperationException">The system is not trained.</exception>
    /// <exception cref="ArgumentException">A key is already indexed (the message names it).</exception>
    public int IndexCases(IEnumerable<EcgRecord> records, IProgress<CaseRetrievalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ObjectDisposedException.ThrowIf(disposed, this);
        var list = records.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"records[{i}] is null.", nameof(records));
            }
        }

        foreach (var view in views)
        {
            var embedder = RequireEmbedder(view);
            var images = EncodeImages(view, list, progress, cancellationToken);
            view.Index ??= new CosineRetriever<string>(embedder.EmbeddingDim);
            int start = view.Index.Count;
            var keys = list.Select((r, i) => string.IsNullOrEmpty(r.Metadata.Id) ? $"case-{start + i}" : r.Metadata.Id!).ToArray();
            var embeddings = EmbedImages(embedder, images, view.Name, CaseRetrievalStage.Indexing, progress, cancellationToken);
            view.Index.AddRange(keys, embeddings);
            for (int i = 0; i < list.Count; i++)
            {
                var md = list[i].Metadata;
                view.Metadata[keys[i]] = new CaseMetadata
                {
                    Report = md.Report,
                    Codes = md.Codes.Keys.ToArray(),
                    Superclasses = md.Superclasses.ToArray(),
                    Source = md.Source,
                };
            }
        }

        return list.Count;
    }

    /// <summary>Finds the archived cases most similar to a record.</summary>
    /// <param name="record">The query ECG (12 standard leads).</param>
    /// <param name="k">How many cases to return (at most the index size).</param>
    /// <param name="filter">Optional key filter, e.g. <c>RetrievalFilter&lt;string&gt;.Exclude([queryId])</c>.</param>
    /// <param name="view">The view to search; <see langword="null"/> for <see cref="SignalView"/>.</param>
    /// <returns>The top cases, best first, and a draft report.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The system is not trained or its index is empty.</exception>
    public CaseSearchResult Search(EcgRecord record, int k = 5, RetrievalFilter<string>? filter = null, string? view = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var v = GetView(view);
        var image = v.Encode(record);
        return SearchCore(v, RequireEmbedder(v).EmbedImage(image), k, filter);
    }

    /// <summary>Finds similar cases for a file: an ECG record (WFDB <c>.hea</c>, clinical XML/EDF, …) or an image (<c>.png</c>, <c>.jpg</c>) of a printed ECG.</summary>
    /// <param name="path">The query file.</param>
    /// <param name="k">How many cases to return.</param>
    /// <param name="imageRoute">For an image: digitise it and search the signal view, or use a printed-ECG image view (see
    /// <see cref="SearchImage"/>).</param>
    /// <returns>The top cases and a draft report.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EcgFormatException">The file cannot be read (an image that cannot be decoded or digitised, with no image view to fall back to).</exception>
    /// <exception cref="InvalidOperationException">An image query the route cannot answer; or the system is not ready.</exception>
    public CaseSearchResult Search(string path, int k = 5, ImageQueryRoute imageRoute = ImageQueryRoute.Auto)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (IsImagePath(path))
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Query image '{path}' does not exist.", path);
            }

            using var stream = File.OpenRead(path);
            return SearchImageCore(stream, k, imageRoute, null, path);
        }

        return Search(EcgRecordLoader.Load(path), k);
    }

    /// <summary>Embeds records with a view's image tower (unit-length rows).</summary>
    /// <param name="records">The records.</param>
    /// <param name="view">The view; <see langword="null"/> for <see cref="SignalView"/>.</param>
    /// <param name="progress">Optional progress.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>Row-major <c>[records, EmbeddingDim]</c> embeddings.</returns>
    public float[] EmbedRecords(IReadOnlyList<EcgRecord> records, string? view = null, IProgress<CaseRetrievalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var v = GetView(view);
        var embedder = RequireEmbedder(v);
        return EmbedImages(embedder, EncodeImages(v, records, progress, cancellationToken), v.Name, CaseRetrievalStage.Evaluating, progress, cancellationToken);
    }

    /// <summary>Embeds reports or prompts with a view's text tower.</summary>
    /// <param name="reports">The texts.</param>
    /// <param name="view">The view; <see langword="null"/> for <see cref="SignalView"/>.</param>
    /// <returns>Row-major <c>[reports, EmbeddingDim]</c> embeddings.</returns>
    public float[] EmbedReports(IReadOnlyList<string> reports, string? view = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var embedder = RequireEmbedder(GetView(view));
        var result = new float[reports.Count * embedder.EmbeddingDim];
        const int Batch = 128;
        for (int start = 0; start < reports.Count; start += Batch)
        {
            var rows = embedder.EmbedTexts(reports.Skip(start).Take(Batch).ToArray());
            for (int i = 0; i < rows.Length; i++)
            {
                rows[i].CopyTo(result, (start + i) * embedder.EmbeddingDim);
            }
        }

        return result;
    }

    /// <summary>Returns the metadata of an indexed case.</summary>
    /// <param name="id">The case id.</param>
    /// <param name="metadata">The metadata, when found.</param>
    /// <returns>Whether the case is indexed in the default view.</returns>
    public bool TryGetCase(string id, out CaseMetadata? metadata) => views[0].Metadata.TryGetValue(id, out metadata);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var view in views)
        {
            view.Dispose();
        }
    }

    /// <summary>Searches a view's index with an embedding already computed by <see cref="EmbedRecords"/> (or the view's embedder).</summary>
    /// <param name="query">A query embedding of the view's dimension.</param>
    /// <param name="k">How many cases to return.</param>
    /// <param name="filter">Optional key filter.</param>
    /// <param name="view">The view to search; <see langword="null"/> for <see cref="SignalView"/>.</param>
    /// <returns>The top cases, best first.</returns>
    /// <exception cref="InvalidOperationException">The index is empty.</exception>
    /// <exception cref="KeyNotFoundException">No view has that name.</exception>
    public IReadOnlyList<RetrievedCase> SearchEmbedding(ReadOnlySpan<float> query, int k, RetrievalFilter<string>? filter = null, string? view = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var v = GetView(view);
        if (v.Index is not { Count: > 0 } index)
        {
            throw new InvalidOperationException($"View '{v.Name}' has no indexed cases; call IndexCases first.");
        }

        return ToCases(v, index.Search(query, k, filter));
    }

    internal static bool IsImagePath(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg";

    private CaseSearchResult SearchCore(CaseRetrievalView v, float[] query, int k, RetrievalFilter<string>? filter)
    {
        if (v.Index is not { Count: > 0 } index)
        {
            throw new InvalidOperationException($"View '{v.Name}' has no indexed cases; call IndexCases first.");
        }

        var hits = index.Search(query, k, filter);
        return new CaseSearchResult(v.Name, ToCases(v, hits), Drafter.Draft(hits, v.Metadata));
    }

    private static RetrievedCase[] ToCases(CaseRetrievalView v, IReadOnlyList<RetrievalHit<string>> hits) => hits.Select(h =>
    {
        var md = v.Metadata.GetValueOrDefault(h.Key);
        return new RetrievedCase(h.Key, h.Score, md?.Report, md?.Codes ?? [], md?.Superclasses ?? [], md?.Source);
    }).ToArray();

    private CaseRetrievalView GetView(string? name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (name is null)
        {
            return views[0];
        }

        return views.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"No view named '{name}' (views: {string.Join(", ", views.Select(v => v.Name))}).");
    }

    private static EcgEmbedder RequireEmbedder(CaseRetrievalView v) =>
        v.Embedder ?? throw new InvalidOperationException($"View '{v.Name}' has no model yet; call Train or Load first.");

    private EcgClipModel CreateModel(IEcgImageSource source, EcgClipConfig? viewModel, int seed)
    {
        var (c, h, _) = source.Shape;
        EcgClipConfig config;
        var model = viewModel ?? Options.Model;
        if (model is null)
        {
            if (h % 4 != 0)
            {
                throw new ArgumentException(
                    $"The default model needs an image size that is a multiple of 4; the '{source.Descriptor.Kind}' source produces {h} (set Options.Model).");
            }

            config = EcgCaseRetrievalOptions.CompactModel(h, c);
        }
        else
        {
            config = model;
            var vision = config.Vision;
            if (vision.ImageSize != h || vision.Channels != c)
            {
                throw new ArgumentException(
                    $"The model of a view expects [{vision.Channels}, {vision.ImageSize}, {vision.ImageSize}] images but the source '{source.Descriptor.Kind}' produces [{c}, {h}, {h}].");
            }
        }

        config = config with
        {
            Text = config.Text with { VocabularySize = tokenizer!.VocabularySize, MaxPositions = Math.Max(config.Text.MaxPositions, Options.Training.MaxTextLength) },
        };
        torch.manual_seed(seed);
        return new EcgClipModel(config);
    }

    private static List<EcgRecord> RequireReports(IEnumerable<EcgRecord> records, string paramName)
    {
        var list = new List<EcgRecord>();
        foreach (var r in records)
        {
            if (r is null)
            {
                throw new ArgumentException($"{paramName}[{list.Count}] is null.", paramName);
            }

            if (string.IsNullOrWhiteSpace(r.Metadata.Report))
            {
                throw new ArgumentException(
                    $"Every record needs Metadata.Report for contrastive training; {paramName}[{list.Count}] (id '{r.Metadata.Id ?? "(none)"}') has none.", paramName);
            }

            list.Add(r);
        }

        return list;
    }

    private float[][] EncodeImages(CaseRetrievalView view, IReadOnlyList<EcgRecord> records, IProgress<CaseRetrievalProgress>? progress, CancellationToken cancellationToken)
    {
        var result = new float[records.Count][];
        long done = 0;
        progress?.Report(new CaseRetrievalProgress(CaseRetrievalStage.EncodingImages, view.Name, 0, records.Count));
        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.EncodingParallelism, CancellationToken = cancellationToken }, i =>
        {
            result[i] = view.Encode(records[i]);
            long n = Interlocked.Increment(ref done);
            if (progress is not null && (n % 64 == 0 || n == records.Count))
            {
                progress.Report(new CaseRetrievalProgress(CaseRetrievalStage.EncodingImages, view.Name, n, records.Count));
            }
        });
        return result;
    }

    private float[][] EncodeAugmented(
        CaseRetrievalView view, int viewIndex, IReadOnlyList<EcgRecord> records, int copies, IProgress<CaseRetrievalProgress>? progress, CancellationToken cancellationToken)
    {
        int n = records.Count, total = n * copies;
        var (c, h, w) = view.Source.Shape;
        var result = new float[total][];
        long done = 0;
        progress?.Report(new CaseRetrievalProgress(CaseRetrievalStage.EncodingImages, view.Name, 0, total));
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Options.EncodingParallelism, CancellationToken = cancellationToken }, j =>
        {
            int copy = j / n, i = j % n;
            var image = new float[c * h * w];
            view.EncodeWith(records[i], image, TrainingAugmentationSeed(Options.Training.Seed, viewIndex, copy, i));
            result[j] = image;
            long finished = Interlocked.Increment(ref done);
            if (progress is not null && (finished % 64 == 0 || finished == total))
            {
                progress.Report(new CaseRetrievalProgress(CaseRetrievalStage.EncodingImages, view.Name, finished, total));
            }
        });
        return result;
    }

    private static float[] EmbedImages(
        EcgEmbedder embedder, float[][] images, string view, CaseRetrievalStage stage, IProgress<CaseRetrievalProgress>? progress, CancellationToken cancellationToken)
    {
        int d = embedder.EmbeddingDim, length = embedder.ImageLength;
        var result = new float[images.Length * d];
        const int Batch = 64;
        var buffer = new float[Batch * length];
        for (int start = 0; start < images.Length; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Batch, images.Length - start);
            for (int i = 0; i < n; i++)
            {
                images[start + i].CopyTo(buffer, i * length);
            }

            embedder.EmbedImages(buffer.AsSpan(0, n * length), n, result.AsSpan(start * d, n * d));
            progress?.Report(new CaseRetrievalProgress(stage, view, start + n, images.Length));
        }

        return result;
    }

    /// <summary>Reports on the caller's thread (unlike <see cref="Progress{T}"/>, which posts to a synchronisation context).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>One view: image source, model, index and its case metadata. Owned by <see cref="EcgCaseRetrievalSystem"/>.</summary>
internal sealed class CaseRetrievalView(string name, IEcgImageSource source, CaseRetrievalViewOptions options) : IDisposable
{
    // Images are cached per record object so training, indexing and evaluation encode each record once.
    private ConditionalWeakTable<EcgRecord, float[]> cache = new();

    public string Name { get; } = name;

    public IEcgImageSource Source { get; } = source;

    public CaseRetrievalViewOptions Options { get; } = options;

    public EcgClipModel? Model { get; private set; }

    public EcgEmbedder? Embedder { get; private set; }

    public CosineRetriever<string>? Index { get; set; }

    public Dictionary<string, CaseMetadata> Metadata { get; set; } = new(StringComparer.Ordinal);

    public void SetModel(EcgClipModel model, IReportTokenizer tokenizer, int maxTextLength)
    {
        ClearModel();
        Model = model;
        Embedder = new EcgEmbedder(model, tokenizer, Math.Min(maxTextLength, model.Config.Text.MaxPositions));
    }

    public void ClearModel()
    {
        Embedder?.Dispose();
        Model?.Dispose();
        Embedder = null;
        Model = null;
    }

    public void ShareCache(CaseRetrievalView other) => cache = other.cache;

    public float[] Encode(EcgRecord record)
    {
        if (cache.TryGetValue(record, out var cached))
        {
            return cached;
        }

        var (c, h, w) = Source.Shape;
        var image = new float[c * h * w];
        EncodeWith(record, image, null);
        cache.AddOrUpdate(record, image);
        return image;
    }

    public void EncodeWith(EcgRecord record, float[] image, int? augmentationSeed)
    {
        try
        {
            Source.Encode(record, image, augmentationSeed);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ArgumentException($"Record '{record.Metadata.Id ?? "(no id)"}' cannot be encoded by the '{Source.Descriptor.Kind}' image source of view '{Name}': {ex.Message}", nameof(record), ex);
        }
    }

    public void Dispose()
    {
        ClearModel();
        Index?.Dispose();
        Index = null;
    }
}
