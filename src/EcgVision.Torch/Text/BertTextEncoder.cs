using EcgVision.Torch.Internal;
using EcgVision.Torch.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgVision.Torch.Text;

/// <summary>Token ids and attention mask for <see cref="BertTextEncoder"/>.</summary>
/// <param name="TokenIds">int64 <c>[batch, length]</c>, each id in <c>[0, VocabularySize)</c>.</param>
/// <param name="AttentionMask">int64 or bool <c>[batch, length]</c>: 1 for real tokens, 0 for padding.</param>
public sealed record TextEncoderInput(Tensor TokenIds, Tensor AttentionMask);

/// <summary>BERT-style report encoder (Devlin et al. 2019) with Hugging Face <c>BertModel</c> parameter names.</summary>
/// <remarks>
/// Post-norm layers: <c>a = LN(x + Attn(x)); y = LN(a + MLP(a))</c>, GELU MLP. Padding positions are masked out of attention
/// and, with <see cref="TokenPooling.Mean"/>, out of the pooled mean. Output <c>[batch, HiddenSize]</c> (not normalised).
/// The pooler of <c>BertModel</c> is not included (the CLIP projection replaces it).
/// </remarks>
public sealed class BertTextEncoder : nn.Module<TextEncoderInput, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys (Hugging Face BERT layout)
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
#pragma warning restore IDE1006

    /// <summary>Builds a randomly initialised encoder on the CPU.</summary>
    /// <param name="config">The architecture.</param>
    /// <exception cref="ArgumentException">The config is inconsistent.</exception>
    public BertTextEncoder(BertTextEncoderConfig config)
        : base(TorchRuntime.Initialized(nameof(BertTextEncoder)))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        RegisterComponents();
        Init.HuggingFaceStyle(this);
    }

    /// <summary>The architecture.</summary>
    public BertTextEncoderConfig Config { get; }

    /// <summary>Encodes token sequences into pooled features.</summary>
    /// <param name="input">Token ids and attention mask, both <c>[batch, length]</c> with length ≤ <c>MaxPositions</c>.</param>
    /// <returns>A new tensor <c>[batch, HiddenSize]</c> owned by the caller.</returns>
    /// <exception cref="ArgumentException">Shapes do not match or an id is outside the vocabulary.</exception>
    public override Tensor forward(TextEncoderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ids = input.TokenIds;
        var mask = input.AttentionMask;
        if (ids.dim() != 2 || ids.shape[1] > Config.MaxPositions || ids.shape[1] < 1)
        {
            throw new ArgumentException(
                $"Expected token ids [N, L] with 1 ≤ L ≤ {Config.MaxPositions} (MaxPositions) but got [{string.Join(", ", ids.shape)}].", nameof(input));
        }

        if (!mask.shape.SequenceEqual(ids.shape))
        {
            throw new ArgumentException(
                $"Expected an attention mask shaped like the token ids [{string.Join(", ", ids.shape)}] but got [{string.Join(", ", mask.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        long min = ids.min().item<long>(), max = ids.max().item<long>();
        if (min < 0 || max >= Config.VocabularySize)
        {
            throw new ArgumentException(
                $"Token ids must be in [0, {Config.VocabularySize}) (VocabularySize) but range over [{min}, {max}].", nameof(input));
        }

        var keep = mask.to(ScalarType.Float32);
        // [B, 1, 1, L] additive mask: 0 for tokens, a large negative number for padding.
        var additive = (keep - 1f).mul(1e9f).view(keep.shape[0], 1, 1, keep.shape[1]);
        var hidden = encoder.call(embeddings.call(ids), additive);
        Tensor pooled;
        if (Config.Pooling == TokenPooling.Cls)
        {
            pooled = hidden.select(1, 0);
        }
        else
        {
            var weights = keep.unsqueeze(-1);
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp_min(1f);
        }

        return pooled.MoveToOuterDisposeScope();
    }
}

internal sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding? token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public BertEmbeddings(BertTextEncoderConfig c)
        : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(c.VocabularySize, c.HiddenSize);
        position_embeddings = nn.Embedding(c.MaxPositions, c.HiddenSize);
        token_type_embeddings = c.TypeVocabularySize > 0 ? nn.Embedding(c.TypeVocabularySize, c.HiddenSize) : null;
        LayerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        dropout = nn.Dropout(c.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var positions = arange(ids.shape[1], dtype: ScalarType.Int64, device: ids.device);
        var h = word_embeddings.call(ids) + position_embeddings.call(positions).unsqueeze(0);
        if (token_type_embeddings is not null)
        {
            // Single-segment input: every token has type 0 (row 0 of the table).
            h = h + token_type_embeddings.weight!.select(0, 0);
        }

        return dropout.call(LayerNorm.call(h)).MoveToOuterDisposeScope();
    }
}

internal sealed class BertSelfOutput : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public BertSelfOutput(int hiddenIn, BertTextEncoderConfig c)
        : base(nameof(BertSelfOutput))
    {
        dense = nn.Linear(hiddenIn, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        dropout = nn.Dropout(c.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(x)) + residual).MoveToOuterDisposeScope();
    }
}

internal sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly SelfAttention self;
    private readonly BertSelfOutput output;
#pragma warning restore IDE1006

    public BertAttention(BertTextEncoderConfig c)
        : base(nameof(BertAttention))
    {
        self = new SelfAttention(c.HiddenSize, c.NumHeads, c.Dropout);
        output = new BertSelfOutput(c.HiddenSize, c);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return output.call(self.call(x, mask), x).MoveToOuterDisposeScope();
    }
}

internal sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear dense;
#pragma warning restore IDE1006

    public BertIntermediate(BertTextEncoderConfig c)
        : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(c.HiddenSize, c.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = dense.call(x);
        return nn.functional.gelu(h);
    }
}

internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertSelfOutput output;
#pragma warning restore IDE1006

    public BertLayer(BertTextEncoderConfig c)
        : base(nameof(BertLayer))
    {
        attention = new BertAttention(c);
        intermediate = new BertIntermediate(c);
        output = new BertSelfOutput(c.IntermediateSize, c);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var a = attention.call(x, mask);
        return output.call(intermediate.call(a), a).MoveToOuterDisposeScope();
    }
}

internal sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly ModuleList<BertLayer> layer;
#pragma warning restore IDE1006

    public BertEncoder(BertTextEncoderConfig c)
        : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, c.NumLayers).Select(_ => new BertLayer(c)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var l in layer)
        {
            h = l.call(h, mask);
        }

        return h.alias().MoveToOuterDisposeScope();
    }
}
