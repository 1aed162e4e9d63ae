namespace EcgVision.Torch.Text;

/// <summary>Architecture hyper-parameters of a <see cref="BertTextEncoder"/> (JSON-serialisable; Hugging Face <c>BertConfig</c> names in spirit).</summary>
public sealed record BertTextEncoderConfig
{
    /// <summary>Rows of the word-embedding table; must equal the tokenizer's vocabulary size. Default 8192.</summary>
    public int VocabularySize { get; init; } = 8192;

    /// <summary>Longest token sequence (rows of the position-embedding table). Default 64.</summary>
    public int MaxPositions { get; init; } = 64;

    /// <summary>Token width. Default 128.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Number of transformer layers. Default 2.</summary>
    public int NumLayers { get; init; } = 2;

    /// <summary>Attention heads; must divide <see cref="HiddenSize"/>. Default 2.</summary>
    public int NumHeads { get; init; } = 2;

    /// <summary>Width of the MLP inside each layer. Default 512.</summary>
    public int IntermediateSize { get; init; } = 512;

    /// <summary>Rows of the token-type table (<c>token_type_embeddings</c>); 0 leaves the table out. Default 2 (as in BERT).</summary>
    public int TypeVocabularySize { get; init; } = 2;

    /// <summary>Dropout on hidden states and attention weights during training. Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>How the token sequence becomes one vector. Default <see cref="TokenPooling.Cls"/>.</summary>
    public TokenPooling Pooling { get; init; } = TokenPooling.Cls;

    /// <summary>Layer-norm epsilon. Default 1e-12 (BERT).</summary>
    public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>Small preset (BERT-mini-like): width 128, 2 layers, 2 heads, MLP 512, 64 positions, mean pooling.</summary>
    /// <remarks>Mean pooling: small models trained from scratch learn much faster with it than with <c>[CLS]</c> pooling.</remarks>
    public static BertTextEncoderConfig Mini { get; } = new() { Pooling = TokenPooling.Mean };

    /// <summary>Reference preset (benchmark configuration): width 256, 4 layers, 4 heads, MLP 1024, 64 positions.</summary>
    public static BertTextEncoderConfig Small { get; } = new()
    {
        HiddenSize = 256, NumLayers = 4, NumHeads = 4, IntermediateSize = 1024,
    };

    /// <summary>Throws when the values are inconsistent.</summary>
    /// <exception cref="ArgumentException">A value is out of range or two values do not fit together.</exception>
    public void Validate()
    {
        Require(VocabularySize >= 2, $"VocabularySize must be at least 2 (got {VocabularySize}).");
        Require(MaxPositions >= 2, $"MaxPositions must be at least 2 (got {MaxPositions}).");
        Require(HiddenSize >= 1 && NumHeads >= 1 && HiddenSize % NumHeads == 0,
            $"The hidden size ({HiddenSize}) is not a multiple of the number of attention heads ({NumHeads}).");
        Require(NumLayers >= 1, $"NumLayers must be at least 1 (got {NumLayers}).");
        Require(IntermediateSize >= 1, $"IntermediateSize must be at least 1 (got {IntermediateSize}).");
        Require(TypeVocabularySize >= 0, $"TypeVocabularySize must be 0 or more (got {TypeVocabularySize}).");
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
            throw new ArgumentException($"BertTextEncoderConfig: {message}", "config");
        }
    }
}
