using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using TorchSharp;

namespace EcgVision.Torch.Tests.Clip;

[Collection("Torch")]
public class EcgClipModelTests
{
    // The state_dict key layout is a public contract (docs/weights.md): Hugging Face CLIPModel/ViT/BERT names.
    private static readonly string[] TinyStateDict =
    [
        "logit_scale []",
        "vision_model.embeddings.cls_token [1, 1, 32]",
        "vision_model.embeddings.position_embeddings [1, 17, 32]",
        "vision_model.embeddings.patch_embeddings.projection.weight [32, 2, 4, 4]",
        "vision_model.embeddings.patch_embeddings.projection.bias [32]",
        "vision_model.encoder.layer.0.attention.attention.query.weight [32, 32]",
        "vision_model.encoder.layer.0.attention.attention.query.bias [32]",
        "vision_model.encoder.layer.0.attention.attention.key.weight [32, 32]",
        "vision_model.encoder.layer.0.attention.attention.key.bias [32]",
        "vision_model.encoder.layer.0.attention.attention.value.weight [32, 32]",
        "vision_model.encoder.layer.0.attention.attention.value.bias [32]",
        "vision_model.encoder.layer.0.attention.output.dense.weight [32, 32]",
        "vision_model.encoder.layer.0.attention.output.dense.bias [32]",
        "vision_model.encoder.layer.0.intermediate.dense.weight [64, 32]",
        "vision_model.encoder.layer.0.intermediate.dense.bias [64]",
        "vision_model.encoder.layer.0.output.dense.weight [32, 64]",
        "vision_model.encoder.layer.0.output.dense.bias [32]",
        "vision_model.encoder.layer.0.layernorm_before.weight [32]",
        "vision_model.encoder.layer.0.layernorm_before.bias [32]",
        "vision_model.encoder.layer.0.layernorm_after.weight [32]",
        "vision_model.encoder.layer.0.layernorm_after.bias [32]",
        "vision_model.layernorm.weight [32]",
        "vision_model.layernorm.bias [32]",
        "text_model.embeddings.word_embeddings.weight [128, 32]",
        "text_model.embeddings.position_embeddings.weight [16, 32]",
        "text_model.embeddings.token_type_embeddings.weight [2, 32]",
        "text_model.embeddings.LayerNorm.weight [32]",
        "text_model.embeddings.LayerNorm.bias [32]",
        "text_model.encoder.layer.0.attention.self.query.weight [32, 32]",
        "text_model.encoder.layer.0.attention.self.query.bias [32]",
        "text_model.encoder.layer.0.attention.self.key.weight [32, 32]",
        "text_model.encoder.layer.0.attention.self.key.bias [32]",
        "text_model.encoder.layer.0.attention.self.value.weight [32, 32]",
        "text_model.encoder.layer.0.attention.self.value.bias [32]",
        "text_model.encoder.layer.0.attention.output.dense.weight [32, 32]",
        "text_model.encoder.layer.0.attention.output.dense.bias [32]",
        "text_model.encoder.layer.0.attention.output.LayerNorm.weight [32]",
        "text_model.encoder.layer.0.attention.output.LayerNorm.bias [32]",
        "text_model.encoder.layer.0.intermediate.dense.weight [64, 32]",
        "text_model.encoder.layer.0.intermediate.dense.bias [64]",
        "text_model.encoder.layer.0.output.dense.weight [32, 64]",
        "text_model.encoder.layer.0.output.dense.bias [32]",
        "text_model.encoder.layer.0.output.LayerNorm.weight [32]",
        "text_model.encoder.layer.0.output.LayerNorm.bias [32]",
        "visual_projection.weight [16, 32]",
        "text_projection.weight [16, 32]",
    ];

    [Fact]
    public void StateDict_KeyLayout_MatchesSnapshot()
    {
        using var model = TestModels.CreateModel();
        var keys = model.state_dict().Select(p => $"{p.Key} [{string.Join(", ", p.Value.shape)}]").ToArray();
        keys.Should().BeEquivalentTo(TinyStateDict);
    }

    [Fact]
    public void EncodeImageAndText_ReturnUnitRowsOfEmbeddingDim()
    {
        using var model = TestModels.CreateModel();
        var tokenizer = TestModels.Tokenizer();
        using var images = torch.rand(4, 2, 16, 16);
        var ids = new long[4 * 8];
        var mask = new long[4 * 8];
        tokenizer.Encode([TestModels.Report(0), TestModels.Report(1), "x", "y z"], 8, ids, mask);
        using var i = model.EncodeImage(images);
        using var t = model.EncodeText(new TextEncoderInput(torch.tensor(ids, [4, 8]), torch.tensor(mask, [4, 8])));
        i.shape.Should().Equal(4, 16);
        t.shape.Should().Equal(4, 16);
        foreach (var norm in i.norm(1).data<float>().ToArray().Concat(t.norm(1).data<float>().ToArray()))
        {
            norm.Should().BeApproximately(1f, 1e-5f);
        }
    }

    [Fact]
    public void LogitScale_StartsAtLnOneOverPointZeroSeven_AndClampsToLnHundred()
    {
        using var model = TestModels.CreateModel();
        model.LogitScale.item<float>().Should().BeApproximately((float)Math.Log(1 / 0.07), 1e-6f);
        using (torch.no_grad())
        {
            model.LogitScale.fill_(10f);
        }

        model.ClampLogitScale();
        model.LogitScale.item<float>().Should().BeApproximately(MathF.Log(100), 1e-6f);
    }
}
