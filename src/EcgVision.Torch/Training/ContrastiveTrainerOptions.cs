namespace EcgVision.Torch.Training;

/// <summary>Where training runs.</summary>
public enum TrainingDevice
{
    /// <summary>The CPU (deterministic with a fixed seed and thread count).</summary>
    Cpu,

    /// <summary>The first CUDA GPU (needs a TorchSharp CUDA runtime package); an error if none is available.</summary>
    Cuda,

    /// <summary>CUDA when available, else the CPU.</summary>
    Auto,
}

/// <summary>Behaviour of <see cref="ContrastiveTrainer"/> (JSON-serialisable; stored in checkpoints).</summary>
public sealed record ContrastiveTrainerOptions
{
    /// <summary>Passes over the training set. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per forward/backward micro-batch (what must fit in memory). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Micro-batches per optimiser step. Above 1, feature-cache accumulation (GradCache / open_clip <c>accum_freq</c>) makes every
    /// sample of the <see cref="EffectiveBatchSize"/> a negative for every other, at the memory cost of one micro-batch. Default 1.
    /// </summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Samples per optimiser step and contrastive batch: <see cref="BatchSize"/> × <see cref="AccumulationSteps"/>.</summary>
    public int EffectiveBatchSize => BatchSize * AccumulationSteps;

    /// <summary>Peak learning rate (AdamW, β = (0.9, 0.98), ε = 1e-6). Default 5e-4.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Decoupled weight decay for weight matrices and embeddings (not biases, norms or the logit scale). Default 0.2.</summary>
    public double WeightDecay { get; init; } = 0.2;

    /// <summary>Optimiser steps of linear warm-up before the cosine decay to zero. Default 10.</summary>
    public int WarmupSteps { get; init; } = 10;

    /// <summary>Gradient-norm clipping threshold; 0 disables clipping. Default 1.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Where to train. Default <see cref="TrainingDevice.Cpu"/>.</summary>
    public TrainingDevice Device { get; init; } = TrainingDevice.Cpu;

    /// <summary>CPU threads for torch (process-wide setting); 0 leaves torch's default. Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>Seed for shuffling and dropout (each epoch reseeds, so resumed runs match uninterrupted ones). Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Epochs without a better validation score before stopping; 0 disables early stopping. Default 0.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Tokens per report including <c>[CLS]</c>/<c>[SEP]</c>; longer reports are truncated. At most the text tower's MaxPositions. Default 64.</summary>
    public int MaxTextLength { get; init; } = 64;

    /// <summary>Folder for the <c>last/</c> and <c>best/</c> checkpoints written after each epoch; null writes none. Default null.</summary>
    public string? CheckpointDirectory { get; init; }
}
