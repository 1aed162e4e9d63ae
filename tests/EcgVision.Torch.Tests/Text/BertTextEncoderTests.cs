using EcgVision.Torch.Text;
using TorchSharp;

namespace EcgVision.Torch.Tests.Text;

[Collection("Torch")]
public class BertTextEncoderTests
{
    private static readonly BertTextEncoderConfig Config = TestModels.Tiny.Text;

    private static TextEncoderInput Input(long[,] ids, long[,] mask) =>
        new(torch.tensor(ids), torch.tensor(mask));

    [Fact]
    public void Forward_ReturnsBatchByHidden()
    {
        torch.manual_seed(1);
        using var model = new BertTextEncoder(Config);
        var input = Input(new long[,] { { 1, 5, 6, 2 }, { 1, 7, 2, 0 } }, new long[,] { { 1, 1, 1, 1 }, { 1, 1, 1, 0 } });
        using var y = model.call(input);
        y.shape.Should().Equal(2, 32);
    }

    [Theory]
    [InlineData(TokenPooling.Cls)]
    [InlineData(TokenPooling.Mean)]
    public void Forward_PaddedPositions_DoNotChangeOutput(TokenPooling pooling)
    {
        torch.manual_seed(1);
        using var model = new BertTextEncoder(Config with { Pooling = pooling });
        model.eval();
        var a = Input(new long[,] { { 1, 5, 6, 2, 0, 0 } }, new long[,] { { 1, 1, 1, 1, 0, 0 } });
        var b = Input(new long[,] { { 1, 5, 6, 2, 77, 99 } }, new long[,] { { 1, 1, 1, 1, 0, 0 } });
        using var ya = model.call(a);
        using var yb = model.call(b);
        (ya - yb).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Fact]
    public void Forward_IdOutsideVocabulary_Throws()
    {
        using var model = new BertTextEncoder(Config);
        var act = () => model.call(Input(new long[,] { { 1, 128, 2 } }, new long[,] { { 1, 1, 1 } }));
        act.Should().Throw<ArgumentException>().WithMessage("*[0, 128)*[1, 128]*");
    }

    [Fact]
    public void Forward_LongerThanMaxPositions_Throws()
    {
        using var model = new BertTextEncoder(Config);
        var act = () => model.call(new TextEncoderInput(torch.ones(1, 17, dtype: torch.int64), torch.ones(1, 17, dtype: torch.int64)));
        act.Should().Throw<ArgumentException>().WithMessage("*L ≤ 16 (MaxPositions)*[1, 17]*");
    }

    [Fact]
    public void Constructor_WithoutTokenTypes_OmitsTable()
    {
        using var model = new BertTextEncoder(Config with { TypeVocabularySize = 0 });
        model.state_dict().Keys.Should().NotContain(k => k.Contains("token_type"));
    }
}
