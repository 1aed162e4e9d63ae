using EcgVision.Torch.Internal;
using EcgVision.Torch.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgVision.Torch.Vision;

/// <summary>Vision Transformer image encoder (Dosovitskiy et al. 2021) with Hugging Face <c>ViTModel</c> parameter names.</summary>
/// <remarks>
/// Input <c>[batch, Channels, ImageSize, ImageSize]</c> float32; output <c>[batch, HiddenSize]</c> (pooled, not normalised).
/// Pre-norm layers: <c>h = x + Attn(LN(x)); y = h + MLP(LN(h))</c>; GELU MLP; final <c>layernorm</c>. Attention uses
/// <c>scaled_dot_product_attention</c>. The pooler of <c>ViTModel</c> is not included (the CLIP projection replaces it).
/// </remarks>
public sealed class VisionTransformer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys (Hugging Face ViT layout)
    private readonly ViTEmbeddings embeddings;
    private readonly ViTEncoder encoder;
    private readonly LayerNorm layernorm;
#pragma warning restore IDE1006

    /// <summary>Builds a randomly initialised model on the CPU (seed with <c>torch.manual_seed</c> first for reproducibility).</summary>
    /// <param name="config">The architecture.</param>
    /// <exception cref="ArgumentException">The config is inconsistent.</exception>
    public VisionTransformer(VisionTransformerConfig config)
        : base(TorchRuntime.Initialized(nameof(VisionTransformer)))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        embeddings = new ViTEmbeddings(config);
        encoder = new ViTEncoder(config);
        layernorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
        Init.HuggingFaceStyle(this);
        embeddings.ResetParameters();
    }

    /// <summary>The architecture.</summary>
    public VisionTransformerConfig Config { get; }

    /// <summary>Encodes images into pooled features.</summary>
    /// <param name="input">Images <c>[batch, Channels, ImageSize, ImageSize]</c>.</param>
    /// <returns>A new tensor <c>[batch, HiddenSize]</c> owned by the caller.</returns>
    /// <exception cref="ArgumentException">The input shape does not match the config.</exception>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var c = Config;
        if (input.dim() != 4 || input.shape[1] != c.Channels || input.shape[2] != c.ImageSize || input.shape[3] != c.ImageSize)
        {
            throw new ArgumentException(
                $"Expected images [N, {c.Channels}, {c.ImageSize}, {c.ImageSize}] but got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        var hidden = layernorm.call(encoder.call(embeddings.call(input)));
        var pooled = c.Pooling == TokenPooling.Cls ? hidden.select(1, 0) : hidden.narrow(1, 1, hidden.shape[1] - 1).mean([1]);
        return pooled.MoveToOuterDisposeScope();
    }
}

internal sealed class ViTPatchEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Conv2d projection;
#pragma warning restore IDE1006

    public ViTPatchEmbeddings(VisionTransformerConfig c)
        : base(nameof(ViTPatchEmbeddings))
    {
        projection = nn.Conv2d(c.Channels, c.HiddenSize, c.PatchSize, stride: c.PatchSize);
        RegisterComponents();
    }

    // [B, C, H, W] -> [B, P, hidden]
    public override Tensor forward(Tensor x) => projection.call(x).flatten(2).transpose(1, 2);
}

internal sealed class ViTEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Parameter cls_token;
    private readonly Parameter position_embeddings;
    private readonly ViTPatchEmbeddings patch_embeddings;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public ViTEmbeddings(VisionTransformerConfig c)
        : base(nameof(ViTEmbeddings))
    {
        cls_token = nn.Parameter(zeros(1, 1, c.HiddenSize));
        position_embeddings = nn.Parameter(zeros(1, c.NumPatches + 1, c.HiddenSize));
        patch_embeddings = new ViTPatchEmbeddings(c);
        dropout = nn.Dropout(c.Dropout);
        RegisterComponents();
    }

    public void ResetParameters()
    {
        using var noGrad = no_grad();
        // Truncated normal(0, 0.02) in [-2σ, 2σ] as in Hugging Face ViT (sample, then clamp).
        nn.init.normal_(cls_token, 0, 0.02).clamp_(-0.04, 0.04);
        nn.init.normal_(position_embeddings, 0, 0.02).clamp_(-0.04, 0.04);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var patches = patch_embeddings.call(x);
        var cls = cls_token.expand(patches.shape[0], -1, -1);
        var tokens = cat([cls, patches], 1) + position_embeddings;
        return dropout.call(tokens).MoveToOuterDisposeScope();
    }
}

internal sealed class ViTSelfOutput : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear dense;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public ViTSelfOutput(VisionTransformerConfig c)
        : base(nameof(ViTSelfOutput))
    {
        dense = nn.Linear(c.HiddenSize, c.HiddenSize);
        dropout = nn.Dropout(c.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => dropout.call(dense.call(x));
}

internal sealed class ViTAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly SelfAttention attention;
    private readonly ViTSelfOutput output;
#pragma warning restore IDE1006

    public ViTAttention(VisionTransformerConfig c)
        : base(nameof(ViTAttention))
    {
        attention = new SelfAttention(c.HiddenSize, c.NumHeads, c.Dropout);
        output = new ViTSelfOutput(c);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return output.call(attention.call(x, null)).MoveToOuterDisposeScope();
    }
}

internal sealed class ViTIntermediate : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear dense;
#pragma warning restore IDE1006

    public ViTIntermediate(VisionTransformerConfig c)
        : base(nameof(ViTIntermediate))
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

internal sealed class ViTOutput : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear dense;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public ViTOutput(VisionTransformerConfig c)
        : base(nameof(ViTOutput))
    {
        dense = nn.Linear(c.IntermediateSize, c.HiddenSize);
        dropout = nn.Dropout(c.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => dropout.call(dense.call(x));
}

internal sealed class ViTLayer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly ViTAttention attention;
    private readonly ViTIntermediate intermediate;
    private readonly ViTOutput output;
    private readonly LayerNorm layernorm_before;
    private readonly LayerNorm layernorm_after;
#pragma warning restore IDE1006

    public ViTLayer(VisionTransformerConfig c)
        : base(nameof(ViTLayer))
    {
        attention = new ViTAttention(c);
        intermediate = new ViTIntermediate(c);
        output = new ViTOutput(c);
        layernorm_before = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        layernorm_after = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + attention.call(layernorm_before.call(x));
        return (h + output.call(intermediate.call(layernorm_after.call(h)))).MoveToOuterDisposeScope();
    }
}

internal sealed class ViTEncoder : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly ModuleList<ViTLayer> layer;
#pragma warning restore IDE1006

    public ViTEncoder(VisionTransformerConfig c)
        : base(nameof(ViTEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, c.NumLayers).Select(_ => new ViTLayer(c)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var l in layer)
        {
            h = l.call(h);
        }

        return h.alias().MoveToOuterDisposeScope();
    }
}
