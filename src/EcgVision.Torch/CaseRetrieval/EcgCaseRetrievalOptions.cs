using EcgVision.Retrieval;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Tokenization;
using EcgVision.Torch.Training;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>Settings of an <see cref="EcgCaseRetrievalSystem"/>: model shape, training, vocabulary and drafting.</summary>
public sealed record EcgCaseRetrievalOptions
{
    /// <summary>The CLIP model shape. <see langword="null"/> (default): <see cref="EcgClipConfig.Micro"/> with the vision tower's
    /// image size and channels taken from each view's image source and the text vocabulary from the trained tokenizer.</summary>
    public EcgClipConfig? Model { get; init; }

    /// <summary>Contrastive training options (epochs, batch size, learning rate, seed, threads).</summary>
    public ContrastiveTrainerOptions Training { get; init; } = new() { Epochs = 8, BatchSize = 64, LearningRate = 1e-3, WarmupSteps = 5, WeightDecay = 0.05 };

    /// <summary>WordPiece vocabulary training on the training reports. Default: 1,000 tokens, minimum frequency 1.</summary>
    public WordPieceTrainerOptions Vocabulary { get; init; } = new() { VocabularySize = 1000, MinFrequency = 1 };

    /// <summary>Report drafting from the neighbours (statement count, confidence threshold, code descriptions).</summary>
    public ReportDrafterOptions Drafter { get; init; } = new();

    /// <summary>Continue an interrupted training run: when <c>Training.CheckpointDirectory</c> is set (each view checkpoints into
    /// <c>&lt;CheckpointDirectory&gt;/&lt;view&gt;/last</c> after every epoch) and such a checkpoint exists, training resumes from it.</summary>
    public bool Resume { get; init; }

    /// <summary>Threads used to turn records into images (the encoders are thread-safe). Default: the processor count.</summary>
    public int EncodingParallelism { get; init; } = Environment.ProcessorCount;
}
