using EcgVision.Torch.Native;
using EcgVision.Torch.Text;
using EcgVision.Torch.Vision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgVision.Torch.Clip;

/// <summary>CLIP-style dual encoder for ECG images and report texts (Radford et al. 2021; open_clip layout, Hugging Face <c>CLIPModel</c> names).</summary>
/// <remarks>
/// <c>vision_model</c> (<see cref="VisionTransformer"/>) and <c>text_model</c> (<see cref="BertTextEncoder"/>) are followed by bias-free
/// linear projections (<c>visual_projection</c>, <c>text_projection</c>) into a shared <c>EmbeddingDim</c>-wide space, where features are
/// L2-normalised. <c>logit_scale</c> is a learnable log temperature, initialised to <c>LogitScaleInit</c> and kept in
/// <c>[0, ln MaxLogitScale]</c> by <see cref="ClampLogitScale"/> after every optimiser step. Not thread-safe.
/// </remarks>
public sealed class EcgClipModel : nn.Module
{
#pragma warning disable IDE1006 // field names are state_dict keys (Hugging Face CLIPModel layout)
    private readonly VisionTransformer vision_model;
    private readonly BertTextEncoder text_model;
    private readonly Linear visual_projection;
    private readonly Linear text_projection;
    private readonly Parameter logit_scale;
#pragma warning restore IDE1006

    /// <summary>Builds a randomly initialised model on the CPU (call <c>torch.manual_seed</c> first for reproducibility).</summary>
    /// <param name="config">The architecture.</param>
    /// <exception cref="ArgumentException">The config is inconsistent.</exception>
    public EcgClipModel(EcgClipConfig config)
        : base(TorchRuntime.Initialized(nameof(EcgClipModel)))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        vision_model = new VisionTransformer(config.Vision);
        text_model = new BertTextEncoder(config.Text);
        visual_projection = nn.Linear(config.Vision.HiddenSize, config.EmbeddingDim, hasBias: false);
        text_projection = nn.Linear(config.Text.HiddenSize, config.EmbeddingDim, hasBias: false);
        logit_scale = nn.Parameter(tensor((float)config.LogitScaleInit));
        RegisterComponents();
        using (no_grad())
        {
            // open_clip: projections ~ N(0, width^-0.5).
            nn.init.normal_(visual_projection.weight!, 0, Math.Pow(config.Vision.HiddenSize, -0.5));
            nn.init.normal_(text_projection.weight!, 0, Math.Pow(config.Text.HiddenSize, -0.5));
        }
    }

    /// <summary>The architecture.</summary>
    public EcgClipConfig Config { get; }

    /// <summary>The learnable log temperature (scalar); the similarity logits are <c>exp(LogitScale) · I·Tᵀ</c>.</summary>
    public Parameter LogitScale => logit_scale;

    /// <summary>The device the parameters are on.</summary>
    public Device Device => logit_scale.device;

    /// <summary>Encodes images into L2-normalised embeddings.</summary>
    /// <param name="images">float32 <c>[batch, Channels, ImageSize, ImageSize]</c> on the model's device.</param>
    /// <returns>A new tensor <c>[batch, EmbeddingDim]</c> with unit rows, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The shape does not match <see cref="VisionTransformerConfig"/>.</exception>
    public Tensor EncodeImage(Tensor images)
    {
        using var scope = NewDisposeScope();
        var features = visual_projection.call(vision_model.call(images));
        return nn.functional.normalize(features, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes token sequences into L2-normalised embeddings.</summary>
    /// <param name="input">Token ids and attention mask <c>[batch, length]</c> on the model's device.</param>
    /// <returns>A new tensor <c>[batch, EmbeddingDim]</c> with unit rows, owned by the caller.</returns>
    /// <exception cref="ArgumentException">Shapes or ids do not match <see cref="BertTextEncoderConfig"/>.</exception>
    public Tensor EncodeText(TextEncoderInput input)
    {
        using var scope = NewDisposeScope();
        var features = text_projection.call(text_model.call(input));
        return nn.functional.normalize(features, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>Clamps <see cref="LogitScale"/> to <c>[0, ln MaxLogitScale]</c> in place (call after each optimiser step).</summary>
    public void ClampLogitScale()
    {
        using var noGrad = no_grad();
        logit_scale.clamp_(0, Math.Log(Config.MaxLogitScale));
    }
}
