using EcgVision.Torch.Vision;
using TorchSharp;

namespace EcgVision.Torch.Tests.Vision;

[Collection("Torch")]
public class VisionTransformerTests
{
    private static readonly VisionTransformerConfig Config = TestModels.Tiny.Vision;

    [Theory]
    [InlineData(TokenPooling.Cls)]
    [InlineData(TokenPooling.Mean)]
    public void Forward_ReturnsBatchByHidden(TokenPooling pooling)
    {
        torch.manual_seed(1);
        using var model = new VisionTransformer(Config with { Pooling = pooling });
        using var x = torch.randn(3, 2, 16, 16);
        using var y = model.call(x);
        y.shape.Should().Equal(3, 32);
        y.isfinite().all().item<bool>().Should().BeTrue();
    }

    [Theory]
    [InlineData(1, 16, 16)]
    [InlineData(2, 32, 32)]
    [InlineData(2, 16, 8)]
    public void Forward_WrongImageShape_ThrowsWithShapes(int channels, int height, int width)
    {
        using var model = new VisionTransformer(Config);
        using var x = torch.zeros(2, channels, height, width);
        var act = () => model.call(x);
        act.Should().Throw<ArgumentException>().WithMessage($"Expected images [N, 2, 16, 16] but got [2, {channels}, {height}, {width}]*");
    }

    [Fact]
    public void Constructor_HiddenNotMultipleOfHeads_Throws()
    {
        var act = () => new VisionTransformer(Config with { NumHeads = 5 });
        act.Should().Throw<ArgumentException>().WithMessage("*hidden size (32)*heads (5)*");
    }

    [Fact]
    public void Constructor_PatchDoesNotDivideImage_Throws()
    {
        var act = () => new VisionTransformer(Config with { PatchSize = 5 });
        act.Should().Throw<ArgumentException>().WithMessage("*PatchSize must divide ImageSize (16) (got 5)*");
    }

    [Fact]
    public void Config_JsonRoundTrip_IsEqual()
    {
        string json = System.Text.Json.JsonSerializer.Serialize(VisionTransformerConfig.Tiny);
        System.Text.Json.JsonSerializer.Deserialize<VisionTransformerConfig>(json).Should().Be(VisionTransformerConfig.Tiny);
    }
}
