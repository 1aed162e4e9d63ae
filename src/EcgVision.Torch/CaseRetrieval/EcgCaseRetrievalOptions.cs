using EcgVision.Retrieval;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using EcgVision.Torch.Tokenization;
using EcgVision.Torch.Training;
using EcgVision.Torch.Vision;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>Settings of an <see cref="EcgCaseRetrievalSystem"/>: model shape, training, vocabulary and drafting.</summary>
public sealed record EcgCaseRetrievalOptions
{
    /// <summary>The CLIP model shape. <see langword="null"/> (default): <see cref="CompactModel"/> sized to each view's image source.
    /// An explicit config must match the source's image size and channels; the text vocabulary size is always taken from the trained tokenizer.</summary>
    public EcgClipConfig? Model { get; init; }

    /// <summary>Contrastive training options. Default: 25 epochs, batch 64, peak LR 2e-3 (5 warm-up steps, cosine decay), weight
    /// decay 0.05, 48 report tokens, one torch thread (tiny models gain nothing from more, and contended cores make OpenMP spin).</summary>
    public ContrastiveTrainerOptions Training { get; init; } = new()
    {
        Epochs = 25, BatchSize = 64, LearningRate = 2e-3, WarmupSteps = 5, WeightDecay = 0.05, MaxTextLength = 48, Threads = 1,
    };

    /// <summary>WordPiece vocabulary training on the training reports. Default: 1,000 tokens, minimum frequency 1.</summary>
    public WordPieceTrainerOptions Vocabulary { get; init; } = new() { VocabularySize = 1000, MinFrequency = 1 };

    /// <summary>Report drafting from the neighbours (statement count, confidence threshold, code descriptions).</summary>
    public ReportDrafterOptions Drafter { get; init; } = new();

    /// <summary>Continue an interrupted training run: when <c>Training.CheckpointDirectory</c> is set (each view checkpoints into
    /// <c>&lt;CheckpointDirectory&gt;/&lt;view&gt;/last</c> after every epoch) and such a checkpoint exists, training resumes from it.</summary>
    public bool Resume { get; init; }

    /// <summary>The default model: ViT 64 wide × 2 layers (2 heads, MLP 256) over 4×4-pixel patches, BERT 64 × 2 with 48 positions,
    /// 64-d embedding — about 0.2 M parameters, trainable on 1,600 records in under a CPU-minute.</summary>
    /// <param name="imageSize">The image side length (a multiple of 4).</param>
    /// <param name="channels">Image channels.</param>
    /// <returns>The config (the text vocabulary size is filled in at training time).</returns>
    public static EcgClipConfig CompactModel(int imageSize, int channels = 3) => EcgClipConfig.Micro with
    {
        Vision = VisionTransformerConfig.Micro with
        {
            ImageSize = imageSize, Channels = channels, PatchSize = 4, HiddenSize = 64, NumLayers = 2, NumHeads = 2, IntermediateSize = 256,
        },
        Text = BertTextEncoderConfig.Mini with { HiddenSize = 64, NumLayers = 2, NumHeads = 2, IntermediateSize = 256, MaxPositions = 48 },
        EmbeddingDim = 64,
    };

    /// <summary>The paper-ECG digitiser used for image queries (a photo or scan of a printed ECG is digitised back to a signal and
    /// searched through the signal view). Default: a 3 × 4 page with a lead II rhythm strip at 25 mm/s and 10 mm/mV;
    /// <see langword="null"/> turns digitising off, so image queries go to a printed-ECG image view.</summary>
    public Imaging.Digitization.PaperEcgDigitizerOptions? Digitizer { get; init; } = new();

    /// <summary>A digitised page below this <see cref="Imaging.Digitization.PaperEcgDigitization.Confidence"/> is not searched through
    /// the signal view (<see cref="ImageQueryRoute.Auto"/> then falls back to an image view). Default 0.5.</summary>
    public double MinimumDigitizationConfidence { get; init; } = 0.5;

    /// <summary>Threads used to turn records into images (the encoders are thread-safe). Default: the processor count.</summary>
    public int EncodingParallelism { get; init; } = Environment.ProcessorCount;
}
