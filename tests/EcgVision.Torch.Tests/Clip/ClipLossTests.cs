using EcgVision.Torch.Clip;
using TorchSharp;

namespace EcgVision.Torch.Tests.Clip;

[Collection("Torch")]
public class ClipLossTests
{
    [Fact]
    public void Compute_DistinctGroups_EqualsCrossEntropyWithDiagonalTargets()
    {
        torch.manual_seed(3);
        using var i = torch.nn.functional.normalize(torch.randn(5, 8), dim: 1);
        using var t = torch.nn.functional.normalize(torch.randn(5, 8), dim: 1);
        using var scale = torch.tensor(2.0f);
        using var logits = scale.exp() * i.matmul(t.t());
        using var labels = torch.arange(5);
        float expected = ((torch.nn.functional.cross_entropy(logits, labels) + torch.nn.functional.cross_entropy(logits.t(), labels)) / 2).item<float>();
        ClipLoss.Compute(i, t, scale).item<float>().Should().BeApproximately(expected, 1e-5f);
        ClipLoss.Compute(i, t, scale, torch.tensor(new long[] { 0, 1, 2, 3, 4 })).item<float>().Should().BeApproximately(expected, 1e-5f);
    }

    [Fact]
    public void Targets_EqualReports_SpreadUniformlyOverPositives()
    {
        using var groups = torch.tensor(new long[] { 7, 3, 7, 7 });
        using var y = ClipLoss.Targets(4, groups, torch.CPU);
        float[] v = y.data<float>().ToArray();
        v.Should().Equal(1 / 3f, 0, 1 / 3f, 1 / 3f, 0, 1, 0, 0, 1 / 3f, 0, 1 / 3f, 1 / 3f, 1 / 3f, 0, 1 / 3f, 1 / 3f);
    }

    [Fact]
    public void Compute_SamplesWithTheSameReport_AreInterchangeablePositives()
    {
        // Rows 0 and 1 share a report: swapping their text rows must not change the loss (neither is the other's negative).
        torch.manual_seed(4);
        using var i = torch.nn.functional.normalize(torch.randn(4, 6), dim: 1);
        using var t = torch.nn.functional.normalize(torch.randn(4, 6), dim: 1);
        using var swapped = t.index_select(0, torch.tensor(new long[] { 1, 0, 2, 3 }));
        using var scale = torch.tensor(2.5f);
        using var groups = torch.tensor(new long[] { 0, 0, 1, 2 });
        ClipLoss.Compute(i, swapped, scale, groups).item<float>().Should().BeApproximately(ClipLoss.Compute(i, t, scale, groups).item<float>(), 1e-5f);
        ClipLoss.Compute(i, swapped, scale).item<float>().Should().NotBeApproximately(ClipLoss.Compute(i, t, scale).item<float>(), 1e-3f);
    }

    [Fact]
    public void Compute_ShapeMismatch_Throws()
    {
        var act = () => ClipLoss.Compute(torch.zeros(3, 4), torch.zeros(2, 4), torch.tensor(1f));
        act.Should().Throw<ArgumentException>().WithMessage("*[3, 4]*[2, 4]*");
    }
}
