using System.Diagnostics;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Native;
using EcgVision.Torch.Text;
using EcgVision.Torch.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgVision.Torch.Training;

/// <summary>Trains an <see cref="EcgClipModel"/> on image–report pairs with the CLIP objective (open_clip recipe).</summary>
/// <remarks>
/// <para>
/// AdamW (β = (0.9, 0.98), ε = 1e-6) with two parameter groups (weight decay on matrices and embeddings only), linear warm-up then
/// cosine decay per optimiser step, gradient-norm clipping, <c>logit_scale</c> clamped after every step. With
/// <see cref="ContrastiveTrainerOptions.AccumulationSteps"/> &gt; 1 it uses feature-cache accumulation (Gao et al. 2021, GradCache;
/// open_clip <c>accum_freq</c>): features of the whole effective batch are computed without gradients, the loss and its gradient with
/// respect to those features are computed once, and each micro-batch is then re-encoded with gradients and back-propagated against its
/// slice of the feature gradient (the random-number state is replayed so dropout matches). The result equals one big batch.
/// </para>
/// <para>
/// After each epoch it validates (recall@1/5/10 both ways), writes <c>last/</c> (and <c>best/</c> on improvement) under
/// <see cref="ContrastiveTrainerOptions.CheckpointDirectory"/>, and applies early stopping. Shuffling and dropout are reseeded per epoch
/// from <see cref="ContrastiveTrainerOptions.Seed"/>, so <see cref="Resume"/> from <c>last/</c> reproduces an uninterrupted CPU run.
/// The trainer moves the model to the configured device and sets torch's thread count (process-wide) when
/// <see cref="ContrastiveTrainerOptions.Threads"/> is set. Not thread-safe.
/// </para>
/// </remarks>
public sealed class ContrastiveTrainer : IDisposable
{
    private readonly IReportTokenizer tokenizer;
    private readonly ILogger logger;
    private readonly bool ownsModel;
    private readonly AdamW optimizer;
    private readonly Device device;
    private TrainerState state = new();
    private bool disposed;

    /// <summary>Creates a trainer for a model (which it moves to the configured device but does not dispose).</summary>
    /// <param name="model">The model to train.</param>
    /// <param name="tokenizer">Turns reports into token ids; its vocabulary must fit the text tower.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="logger">Optional logger (epoch summaries at Information, steps at Debug).</param>
    /// <exception cref="ArgumentException">An option is out of range or does not fit the model.</exception>
    /// <exception cref="InvalidOperationException">CUDA was requested but is not available.</exception>
    public ContrastiveTrainer(EcgClipModel model, IReportTokenizer tokenizer, ContrastiveTrainerOptions options, ILogger? logger = null)
        : this(model, tokenizer, options, logger, ownsModel: false)
    {
    }

    private ContrastiveTrainer(EcgClipModel model, IReportTokenizer tokenizer, ContrastiveTrainerOptions options, ILogger? logger, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.EnsureInitialized();
        Validate(options, model, tokenizer);
        Model = model;
        this.tokenizer = tokenizer;
        Options = options;
        this.logger = logger ?? NullLogger.Instance;
        this.ownsModel = ownsModel;
        device = ResolveDevice(options.Device);
        if (options.Threads > 0)
        {
            torch.set_num_threads(options.Threads);
        }

        model.to(device);
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (name, p) in model.named_parameters())
        {
            bool exempt = p.dim() < 2 || name.EndsWith("bias", StringComparison.Ordinal) || name.Contains("layernorm", StringComparison.OrdinalIgnoreCase)
                || name == "logit_scale";
            (exempt ? noDecay : decay).Add(p);
        }

        optimizer = optim.AdamW(
            [
                new AdamW.ParamGroup(decay, options.LearningRate, 0.9, 0.98, 1e-6, options.WeightDecay),
                new AdamW.ParamGroup(noDecay, options.LearningRate, 0.9, 0.98, 1e-6, 0.0),
            ],
            options.LearningRate, 0.9, 0.98, 1e-6, options.WeightDecay);
    }

    /// <summary>The model being trained.</summary>
    public EcgClipModel Model { get; }

    /// <summary>The settings.</summary>
    public ContrastiveTrainerOptions Options { get; }

    /// <summary>Epochs completed so far (non-zero after <see cref="Resume"/>).</summary>
    public int EpochsCompleted => state.EpochsCompleted;

    /// <summary>Continues a run from a training checkpoint (a <c>last/</c> folder written by this trainer).</summary>
    /// <param name="checkpointDirectory">The checkpoint folder (with optimizer.bin and trainer_state.json).</param>
    /// <param name="tokenizer">The tokenizer the run used (e.g. recreated from the checkpoint's <c>tokenizer/</c> folder).</param>
    /// <param name="options">Settings to continue with; null uses those stored in the checkpoint. Epochs may be raised to train longer.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>A trainer that owns its model; call <see cref="Train"/> to continue.</returns>
    /// <exception cref="FileNotFoundException">A checkpoint file is missing.</exception>
    /// <exception cref="InvalidDataException">A checkpoint file is damaged or does not match.</exception>
    public static ContrastiveTrainer Resume(
        string checkpointDirectory, IReportTokenizer tokenizer, ContrastiveTrainerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var (_, stored) = EcgClipCheckpoint.ReadConfigFile(checkpointDirectory);
        options ??= stored ?? throw new InvalidDataException(
            $"Checkpoint '{checkpointDirectory}' has no training options; pass options to resume it.");
        string optimizerPath = EcgClipCheckpoint.RequireFile(checkpointDirectory, EcgClipCheckpoint.OptimizerFileName);
        string statePath = EcgClipCheckpoint.RequireFile(checkpointDirectory, EcgClipCheckpoint.TrainerStateFileName);
        var model = EcgClipCheckpoint.LoadModel(checkpointDirectory);
        ContrastiveTrainer? trainer = null;
        try
        {
            trainer = new ContrastiveTrainer(model, tokenizer, options, logger, ownsModel: true);
            trainer.state = EcgClipCheckpoint.ReadJson<TrainerState>(statePath);
            try
            {
                using var stream = File.OpenRead(optimizerPath);
                using var reader = new BinaryReader(stream);
                trainer.optimizer.load_state_dict(reader);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Optimizer state '{optimizerPath}' cannot be loaded: {ex.Message}", ex);
            }

            return trainer;
        }
        catch
        {
            if (trainer is not null)
            {
                trainer.Dispose();
            }
            else
            {
                model.Dispose();
            }

            throw;
        }
    }

    /// <summary>Trains until <see cref="ContrastiveTrainerOptions.Epochs"/> epochs are complete or early stopping ends the run.</summary>
    /// <param name="train">Training pairs (at least 2).</param>
    /// <param name="validation">Optional validation pairs for recall@K, early stopping and best-checkpoint keeping.</param>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every optimiser step and epoch.</param>
    /// <param name="cancellationToken">Checked before every optimiser step; the last completed epoch's checkpoint stays valid.</param>
    /// <returns>What happened.</returns>
    /// <exception cref="ArgumentException">A dataset is empty or a sample has the wrong image size.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public TrainingResult Train(
        IClipDataset train, IClipDataset? validation = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count < 2)
        {
            throw new ArgumentException($"The training set must hold at least 2 samples for a contrastive loss (got {train.Count}).", nameof(train));
        }

        if (validation is { Count: 0 })
        {
            throw new ArgumentException("The validation set is empty; pass null to train without validation.", nameof(validation));
        }

        var o = Options;
        var clock = Stopwatch.StartNew();
        long stepsPerEpoch = (train.Count + o.EffectiveBatchSize - 1) / o.EffectiveBatchSize;
        long totalSteps = stepsPerEpoch * o.Epochs;
        bool stoppedEarly = false;
        double lastEpochLoss = state.History.Count > 0 ? state.History[^1].Loss : double.NaN;

        for (int epoch = state.EpochsCompleted + 1; epoch <= o.Epochs; epoch++)
        {
            // Reseeding per epoch makes a resumed run identical to an uninterrupted one.
            torch.manual_seed((o.Seed * 1_000L) + epoch);
            int[] order = Shuffle(train.Count, new Random(unchecked((o.Seed * 1_000_003) + epoch)));
            Model.train();
            double lossSum = 0;
            int batches = 0;
            double lr = 0;
            for (int start = 0; start < order.Length; start += o.EffectiveBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int[] batch = order.AsSpan(start, Math.Min(o.EffectiveBatchSize, order.Length - start)).ToArray();
                lr = LearningRateAt(state.GlobalStep, totalSteps);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = lr;
                }

                double loss = TrainStep(train, batch);
                state.GlobalStep++;
                lossSum += loss;
                batches++;
                double scale = Math.Exp(Model.LogitScale.item<float>());
                logger.LogDebug("Epoch {Epoch} step {Step}/{Total}: loss {Loss:F4}, lr {Lr:E2}, scale {Scale:F2}", epoch, state.GlobalStep, totalSteps, loss, lr, scale);
                progress?.Report(new TrainingProgress(
                    TrainingEventKind.Step, epoch, o.Epochs, state.GlobalStep, totalSteps, loss, lr, scale, null, false, clock.Elapsed));
            }

            lastEpochLoss = lossSum / batches;
            RetrievalMetrics? metrics = validation is null ? null : Evaluate(Model, tokenizer, validation, o.MaxTextLength, o.BatchSize);
            bool isBest = metrics is null || metrics.MeanRecall > state.BestScore + 1e-12;
            if (isBest)
            {
                state.BestScore = metrics?.MeanRecall ?? double.NegativeInfinity;
                state.BestEpoch = epoch;
                state.EpochsWithoutImprovement = 0;
            }
            else
            {
                state.EpochsWithoutImprovement++;
            }

            state.EpochsCompleted = epoch;
            var summary = new TrainingProgress(
                TrainingEventKind.EpochCompleted, epoch, o.Epochs, state.GlobalStep, totalSteps, lastEpochLoss, lr,
                Math.Exp(Model.LogitScale.item<float>()), metrics, isBest, clock.Elapsed);
            state.History.Add(summary);
            if (o.CheckpointDirectory is not null)
            {
                SaveCheckpoint(Path.Combine(o.CheckpointDirectory, "last"), metrics, lastEpochLoss);
                if (isBest)
                {
                    SaveCheckpoint(Path.Combine(o.CheckpointDirectory, "best"), metrics, lastEpochLoss);
                }
            }

            logger.LogInformation(
                "Epoch {Epoch}/{Epochs}: loss {Loss:F4}, ECG→report R@1 {I2T:P1}, report→ECG R@1 {T2I:P1}{Best}",
                epoch, o.Epochs, lastEpochLoss, metrics?.ImageToTextR1 ?? double.NaN, metrics?.TextToImageR1 ?? double.NaN, isBest ? " (best)" : string.Empty);
            progress?.Report(summary);

            if (o.EarlyStoppingPatience > 0 && validation is not null && state.EpochsWithoutImprovement >= o.EarlyStoppingPatience)
            {
                stoppedEarly = true;
                logger.LogInformation("Early stopping after epoch {Epoch}: no improvement for {Patience} epochs.", epoch, o.EarlyStoppingPatience);
                break;
            }
        }

        return new TrainingResult(
            state.EpochsCompleted, state.GlobalStep, lastEpochLoss, state.BestEpoch,
            state.History.FirstOrDefault(h => h.Epoch == state.BestEpoch)?.Validation, stoppedEarly, state.History.ToArray());
    }

    /// <summary>Recall@1/5/10 in both directions and the contrastive loss over a dataset (evaluation mode, no gradients).</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="dataset">The pairs (at least 1).</param>
    /// <param name="maxTextLength">Tokens per report.</param>
    /// <param name="batchSize">Samples per forward pass.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The dataset is empty or an image has the wrong size.</exception>
    public static RetrievalMetrics Evaluate(EcgClipModel model, IReportTokenizer tokenizer, IClipDataset dataset, int maxTextLength, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("The evaluation set is empty.", nameof(dataset));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        TorchRuntime.EnsureInitialized();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var images = new List<Tensor>();
            var texts = new List<Tensor>();
            var samples = new List<ClipSample>();
            for (int start = 0; start < dataset.Count; start += batchSize)
            {
                int[] idx = Enumerable.Range(start, Math.Min(batchSize, dataset.Count - start)).ToArray();
                var batch = idx.Select(i => dataset[i]).ToArray();
                samples.AddRange(batch);
                var (img, txt) = ToTensors(model, tokenizer, batch, idx, maxTextLength, model.Device);
                images.Add(model.EncodeImage(img));
                texts.Add(model.EncodeText(txt));
            }

            var imageFeatures = cat(images, 0);
            var textFeatures = cat(texts, 0);
            var groups = GroupIds(samples, model.Device);
            double loss = ClipLoss.Compute(imageFeatures, textFeatures, model.LogitScale, groups).item<float>();
            var similarity = imageFeatures.matmul(textFeatures.t());
            var same = groups.unsqueeze(1).eq(groups.unsqueeze(0));
            var (i1, i5, i10) = Recalls(similarity, same);
            var (t1, t5, t10) = Recalls(similarity.t(), same);
            return new RetrievalMetrics(i1, i5, i10, t1, t5, t10, loss);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        optimizer.Dispose();
        if (ownsModel)
        {
            Model.Dispose();
        }
    }

    internal double LearningRateAt(long step, long totalSteps)
    {
        var o = Options;
        if (step < o.WarmupSteps)
        {
            return o.LearningRate * (step + 1) / o.WarmupSteps;
        }

        double progress = (double)(step - o.WarmupSteps) / Math.Max(1, totalSteps - o.WarmupSteps);
        return 0.5 * o.LearningRate * (1 + Math.Cos(Math.PI * Math.Min(1.0, progress)));
    }

    private double TrainStep(IClipDataset data, int[] batch)
    {
        var o = Options;
        var samples = batch.Select(i => data[i]).ToArray();
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var groups = GroupIds(samples, device);
        double lossValue;
        if (o.AccumulationSteps == 1 || samples.Length <= o.BatchSize)
        {
            var (img, txt) = ToTensors(Model, tokenizer, samples, batch, o.MaxTextLength, device);
            var loss = ClipLoss.Compute(Model.EncodeImage(img), Model.EncodeText(txt), Model.LogitScale, groups);
            loss.backward();
            lossValue = loss.item<float>();
        }
        else
        {
            lossValue = FeatureCacheStep(samples, batch, groups);
        }

        if (o.MaxGradNorm > 0)
        {
            nn.utils.clip_grad_norm_(Model.parameters(), o.MaxGradNorm);
        }

        optimizer.step();
        Model.ClampLogitScale();
        return lossValue;
    }

    // GradCache: loss once over cached features; then per micro-batch, re-encode with grad and back-propagate the cached feature gradient.
    private double FeatureCacheStep(ClipSample[] samples, int[] indices, Tensor groups)
    {
        var o = Options;
        var chunks = new List<(ClipSample[] Samples, int[] Indices, Tensor RngState)>();
        var imageCache = new List<Tensor>();
        var textCache = new List<Tensor>();
        for (int start = 0; start < samples.Length; start += o.BatchSize)
        {
            int n = Math.Min(o.BatchSize, samples.Length - start);
            var chunk = samples.AsSpan(start, n).ToArray();
            var chunkIdx = indices.AsSpan(start, n).ToArray();
            var rng = torch.get_rng_state();
            chunks.Add((chunk, chunkIdx, rng));
            using var noGrad = no_grad();
            var (img, txt) = ToTensors(Model, tokenizer, chunk, chunkIdx, o.MaxTextLength, device);
            imageCache.Add(Model.EncodeImage(img));
            textCache.Add(Model.EncodeText(txt));
        }

        var allImages = cat(imageCache, 0).detach().requires_grad_(true);
        var allTexts = cat(textCache, 0).detach().requires_grad_(true);
        var loss = ClipLoss.Compute(allImages, allTexts, Model.LogitScale, groups);
        loss.backward(); // gradients for the cached features and for logit_scale
        var imageGrads = allImages.grad!.split(o.BatchSize, 0);
        var textGrads = allTexts.grad!.split(o.BatchSize, 0);
        var rngAfter = torch.get_rng_state();
        for (int c = 0; c < chunks.Count; c++)
        {
            using var inner = NewDisposeScope();
            torch.set_rng_state(chunks[c].RngState); // replay dropout masks of the cached pass
            var (img, txt) = ToTensors(Model, tokenizer, chunks[c].Samples, chunks[c].Indices, o.MaxTextLength, device);
            var surrogate = (Model.EncodeImage(img) * imageGrads[c]).sum() + (Model.EncodeText(txt) * textGrads[c]).sum();
            surrogate.backward();
        }

        torch.set_rng_state(rngAfter);
        return loss.item<float>();
    }

    private void SaveCheckpoint(string directory, RetrievalMetrics? metrics, double loss)
    {
        var metadata = new CheckpointMetadata(
            EcgClipCheckpoint.LibraryVersion, DateTimeOffset.UtcNow, state.EpochsCompleted, state.GlobalStep, loss, metrics, false);
        EcgClipCheckpoint.SaveCore(directory, Model, tokenizer, Options, w => optimizer.save_state_dict(w), state, metadata);
    }

    internal static (Tensor Images, TextEncoderInput Text) ToTensors(
        EcgClipModel model, IReportTokenizer tokenizer, ClipSample[] samples, int[] indices, int maxTextLength, Device device)
    {
        var v = model.Config.Vision;
        int pixels = v.Channels * v.ImageSize * v.ImageSize;
        var buffer = new float[samples.Length * pixels];
        for (int i = 0; i < samples.Length; i++)
        {
            var image = samples[i].Image;
            if (image is null || image.Length != pixels)
            {
                throw new ArgumentException(
                    $"Sample {indices[i]}: the image must hold Channels × ImageSize × ImageSize = {v.Channels} × {v.ImageSize} × {v.ImageSize} = {pixels} floats (got {image?.Length ?? 0}).",
                    "dataset");
            }

            image.CopyTo(buffer, i * pixels);
        }

        var texts = samples.Select(s => s.Report ?? string.Empty).ToArray();
        var ids = new long[texts.Length * maxTextLength];
        var mask = new long[ids.Length];
        tokenizer.Encode(texts, maxTextLength, ids, mask);
        var images = tensor(buffer, [samples.Length, v.Channels, v.ImageSize, v.ImageSize]).to(device);
        var input = new TextEncoderInput(
            tensor(ids, [texts.Length, maxTextLength]).to(device), tensor(mask, [texts.Length, maxTextLength]).to(device));
        return (images, input);
    }

    private static Tensor GroupIds(IReadOnlyList<ClipSample> samples, Device device)
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = new long[samples.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            string key = samples[i].GroupId is int g ? "g:" + g.ToString(System.Globalization.CultureInfo.InvariantCulture) : "t:" + samples[i].Report;
            if (!map.TryGetValue(key, out long id))
            {
                id = map.Count;
                map[key] = id;
            }

            ids[i] = id;
        }

        return tensor(ids).to(device);
    }

    private static (double R1, double R5, double R10) Recalls(Tensor similarity, Tensor same)
    {
        long n = similarity.shape[1];
        double At(int k)
        {
            var (_, top) = similarity.topk((int)Math.Min(k, n), 1, largest: true, sorted: true);
            return same.gather(1, top).any(1).to(ScalarType.Float32).mean().item<float>();
        }

        return (At(1), At(5), At(10));
    }

    private static int[] Shuffle(int count, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static Device ResolveDevice(TrainingDevice device)
    {
        bool cuda = device != TrainingDevice.Cpu && CudaAvailable();
        if (device == TrainingDevice.Cuda && !cuda)
        {
            throw new InvalidOperationException(
                "ContrastiveTrainerOptions.Device is Cuda but no CUDA device is available (reference a TorchSharp CUDA runtime package and check the driver).");
        }

        return cuda ? CUDA : CPU;
    }

    private static bool CudaAvailable()
    {
        if (!TorchRuntime.HasCudaBackend())
        {
            return false;
        }

        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void Validate(ContrastiveTrainerOptions o, EcgClipModel model, IReportTokenizer tokenizer)
    {
        static void Require(bool ok, string message, string name)
        {
            if (!ok)
            {
                throw new ArgumentException($"ContrastiveTrainerOptions.{message}", name);
            }
        }

        Require(o.Epochs >= 1, $"Epochs must be at least 1 (got {o.Epochs}).", nameof(o.Epochs));
        Require(o.BatchSize >= 1, $"BatchSize must be at least 1 (got {o.BatchSize}).", nameof(o.BatchSize));
        Require(o.AccumulationSteps >= 1, $"AccumulationSteps must be at least 1 (got {o.AccumulationSteps}).", nameof(o.AccumulationSteps));
        Require(o.LearningRate > 0 && double.IsFinite(o.LearningRate), $"LearningRate must be positive (got {o.LearningRate}).", nameof(o.LearningRate));
        Require(o.WeightDecay >= 0, $"WeightDecay must be 0 or more (got {o.WeightDecay}).", nameof(o.WeightDecay));
        Require(o.WarmupSteps >= 0, $"WarmupSteps must be 0 or more (got {o.WarmupSteps}).", nameof(o.WarmupSteps));
        Require(o.MaxGradNorm >= 0, $"MaxGradNorm must be 0 (off) or more (got {o.MaxGradNorm}).", nameof(o.MaxGradNorm));
        Require(o.Threads >= 0, $"Threads must be 0 (default) or more (got {o.Threads}).", nameof(o.Threads));
        Require(o.EarlyStoppingPatience >= 0, $"EarlyStoppingPatience must be 0 (off) or more (got {o.EarlyStoppingPatience}).", nameof(o.EarlyStoppingPatience));
        Require(o.MaxTextLength >= 2 && o.MaxTextLength <= model.Config.Text.MaxPositions,
            $"MaxTextLength must be between 2 and the text tower's MaxPositions ({model.Config.Text.MaxPositions}) (got {o.MaxTextLength}).", nameof(o.MaxTextLength));
        if (!Enum.IsDefined(o.Device))
        {
            throw new NotSupportedException($"ContrastiveTrainerOptions.Device {o.Device} is not supported.");
        }

        if (tokenizer.VocabularySize > model.Config.Text.VocabularySize)
        {
            throw new ArgumentException(
                $"The tokenizer's vocabulary ({tokenizer.VocabularySize}) is larger than the text tower's VocabularySize ({model.Config.Text.VocabularySize}).",
                nameof(tokenizer));
        }
    }

    /// <summary>Persisted between epochs (trainer_state.json).</summary>
    internal sealed class TrainerState
    {
        public int EpochsCompleted { get; set; }

        public long GlobalStep { get; set; }

        public double BestScore { get; set; } = double.NegativeInfinity;

        public int BestEpoch { get; set; }

        public int EpochsWithoutImprovement { get; set; }

        public List<TrainingProgress> History { get; set; } = [];
    }
}
