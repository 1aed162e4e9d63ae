using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgVision.Torch.Internal;

/// <summary>Multi-head scaled-dot-product self-attention with separate query/key/value projections (HF ViT/BERT layout).</summary>
internal sealed class SelfAttention : nn.Module<Tensor, Tensor?, Tensor>
{
#pragma warning disable IDE1006 // field names are state_dict keys (Hugging Face layout)
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly double attentionDropout;

    public SelfAttention(int hidden, int heads, double attentionDropout)
        : base(nameof(SelfAttention))
    {
        this.heads = heads;
        this.attentionDropout = attentionDropout;
        query = nn.Linear(hidden, hidden);
        key = nn.Linear(hidden, hidden);
        value = nn.Linear(hidden, hidden);
        RegisterComponents();
    }

    /// <summary>x: [B, T, H]; additiveMask: null or [B, 1, 1, T] (0 keep, large negative drop).</summary>
    public override Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], h = x.shape[2];
        long d = h / heads;
        var q = query.call(x).view(b, t, heads, d).transpose(1, 2);
        var k = key.call(x).view(b, t, heads, d).transpose(1, 2);
        var v = value.call(x).view(b, t, heads, d).transpose(1, 2);
        var context = nn.functional.scaled_dot_product_attention(q, k, v, additiveMask, training ? attentionDropout : 0.0);
        return context.transpose(1, 2).reshape(b, t, h).MoveToOuterDisposeScope();
    }
}

/// <summary>Shared weight initialisation (BERT/ViT: normal(0, 0.02) weights, zero biases, unit layer norms).</summary>
internal static class Init
{
    public static void HuggingFaceStyle(nn.Module module, double std = 0.02)
    {
        using var noGrad = no_grad();
        module.apply(m =>
        {
            switch (m)
            {
                case Linear linear:
                    nn.init.normal_(linear.weight, 0, std);
                    if (linear.bias is not null)
                    {
                        nn.init.zeros_(linear.bias);
                    }

                    break;
                case Conv2d conv:
                    nn.init.normal_(conv.weight, 0, std);
                    if (conv.bias is not null)
                    {
                        nn.init.zeros_(conv.bias);
                    }

                    break;
                case Embedding embedding:
                    nn.init.normal_(embedding.weight, 0, std);
                    break;
                case LayerNorm norm:
                    if (norm.weight is not null)
                    {
                        nn.init.ones_(norm.weight);
                    }

                    if (norm.bias is not null)
                    {
                        nn.init.zeros_(norm.bias);
                    }

                    break;
            }
        });
    }
}
