using System.Text.Json.Serialization;

namespace EcgVision.Torch.Vision;

/// <summary>Architecture hyper-parameters of a <see cref="VisionTransformer"/> (JSON-serialisable; Hugging Face <c>ViTConfig</c> names in spirit).</summary>
public sealed record VisionTransformerConfig
{
    /// <summary>Input height and width in pixels (square images). Default 64.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>Input channels (e.g. 3 for GAF/MTF/RP stacked, 1 for a single field). Default 3.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Patch edge in pixels; must divide <see cref="ImageSize"/>. Default 8.</summary>
    public int PatchSize { get; init; } = 8;

    /// <summary>Token width. Default 96.</summary>
    public int HiddenSize { get; init; } = 96;

    /// <summary>Number of transformer layers. Default 3.</summary>
    public int NumLayers { get; init; } = 3;

    /// <summary>Attention heads; must divide <see cref="HiddenSize"/>. Default 3.</summary>
    public int NumHeads { get; init; } = 3;

    /// <summary>Width of the MLP inside each layer. Default 384 (4 × hidden).</summary>
    public int IntermediateSize { get; init; } = 384;

    /// <summary>Dropout on hidden states and attention weights during training. Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>How the token sequence becomes one vector. Default <see cref="TokenPooling.Cls"/>.</summary>
    public TokenPooling Pooling { get; init; } = TokenPooling.Cls;

    /// <summary>Layer-norm epsilon. Default 1e-12 (Hugging Face ViT).</summary>
    public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>Patches per image (<c>(ImageSize / PatchSize)²</c>).</summary>
    [JsonIgnore]
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>CPU-sized preset: 64 px, patch 8, width 96, 3 layers, 3 heads, mean pooling (≈0.36 M parameters).</summary>
    /// <remarks>Mean pooling: small models trained from scratch learn much faster with it than with <c>[CLS]</c> pooling.</remarks>
    public static VisionTransformerConfig Micro { get; } = new() { Pooling = TokenPooling.Mean };

    /// <summary>ViT-Tiny-like preset at 128 px: patch 16, width 192, 6 layers, 3 heads, MLP 768 (the benchmark configuration).</summary>
    public static VisionTransformerConfig Tiny { get; } = new()
    {
        ImageSize = 128, PatchSize = 16, HiddenSize = 192, NumLayers = 6, NumHeads = 3, IntermediateSize = 768,
    };

    /// <summary>ViT-Small-like preset at 224 px: patch 16, width 384, 12 layers, 6 heads, MLP 1536.</summary>
    public static VisionTransformerConfig Small { get; } = new()
    {
        ImageSize = 224, PatchSize = 16, HiddenSize = 384, NumLayers = 12, NumHeads = 6, IntermediateSize = 1536,
    };

    /// <summary>Throws when the values are inconsistent.</summary>
    /// <exception cref="ArgumentException">A value is out of range or two values do not fit together.</exception>
    public void Validate()
    {
        Require(ImageSize >= 1, $"ImageSize must be at least 1 (got {ImageSize}).");
        Require(Channels >= 1, $"Channels must be at least 1 (got {Channels}).");
        Require(PatchSize >= 1 && ImageSize % PatchSize == 0, $"PatchSize must divide ImageSize ({ImageSize}) (got {PatchSize}).");
        Require(HiddenSize >= 1 && NumHeads >= 1 && HiddenSize % NumHeads == 0,
            $"The hidden size ({HiddenSize}) is not a multiple of the number of attention heads ({NumHeads}).");
        Require(NumLayers >= 1, $"NumLayers must be at least 1 (got {NumLayers}).");
        Require(IntermediateSize >= 1, $"IntermediateSize must be at least 1 (got {IntermediateSize}).");
        Require(Dropout is >= 0 and < 1, $"Dropout must be in [0, 1) (got {Dropout}).");
        Require(LayerNormEps > 0, $"LayerNormEps must be positive (got {LayerNormEps}).");
        if (!Enum.IsDefined(Pooling))
        {
            throw new NotSupportedException($"Pooling {Pooling} is not supported.");
        }
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"VisionTransformerConfig: {message}", "config");
        }
    }
}
