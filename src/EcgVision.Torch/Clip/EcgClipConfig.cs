using EcgVision.Torch.Text;
using EcgVision.Torch.Vision;

namespace EcgVision.Torch.Clip;

/// <summary>Architecture of an <see cref="EcgClipModel"/>: the two towers and the shared embedding space (JSON-serialisable).</summary>
public sealed record EcgClipConfig
{
    /// <summary>The ECG-image tower.</summary>
    public VisionTransformerConfig Vision { get; init; } = VisionTransformerConfig.Micro;

    /// <summary>The report tower.</summary>
    public BertTextEncoderConfig Text { get; init; } = BertTextEncoderConfig.Mini;

    /// <summary>Width of the shared, L2-normalised embedding. Default 128.</summary>
    public int EmbeddingDim { get; init; } = 128;

    /// <summary>Initial value of the learnable log temperature. Default ln(1/0.07) ≈ 2.659 (CLIP).</summary>
    public double LogitScaleInit { get; init; } = Math.Log(1 / 0.07);

    /// <summary>The largest logit scale (the learnable log scale is clamped to ln of this). Default 100 (CLIP).</summary>
    public double MaxLogitScale { get; init; } = 100;

    /// <summary>CPU-sized preset: <see cref="VisionTransformerConfig.Micro"/> + <see cref="BertTextEncoderConfig.Mini"/>, 128-d embedding.</summary>
    public static EcgClipConfig Micro { get; } = new();

    /// <summary>The reference (benchmark) configuration: ViT 6×192 at 128 px, BERT 4×256 over 8192 ids and 64 tokens, 256-d embedding.</summary>
    public static EcgClipConfig Reference { get; } = new()
    {
        Vision = VisionTransformerConfig.Tiny, Text = BertTextEncoderConfig.Small, EmbeddingDim = 256,
    };

    /// <summary>Throws when the values are inconsistent.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Vision, "config.Vision");
        ArgumentNullException.ThrowIfNull(Text, "config.Text");
        Vision.Validate();
        Text.Validate();
        if (EmbeddingDim < 1)
        {
            throw new ArgumentException($"EcgClipConfig: EmbeddingDim must be at least 1 (got {EmbeddingDim}).", "config");
        }

        if (!(MaxLogitScale >= 1) || !double.IsFinite(LogitScaleInit) || LogitScaleInit < 0 || LogitScaleInit > Math.Log(MaxLogitScale))
        {
            throw new ArgumentException(
                $"EcgClipConfig: LogitScaleInit must be in [0, ln MaxLogitScale] = [0, {Math.Log(MaxLogitScale):G4}] (got {LogitScaleInit}).", "config");
        }
    }
}
