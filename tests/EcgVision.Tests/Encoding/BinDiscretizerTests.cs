using EcgVision.Encoding;

namespace EcgVision.Tests.Encoding;

public sealed class BinDiscretizerTests
{
    [Fact]
    public void Transform_ValueEqualToEdge_GoesToLowerBin()
    {
        // 5 samples, 2 bins: the quantile edge is the median, 2, itself a sample (searchsorted side='left').
        new BinDiscretizer(new() { BinCount = 2 }).Transform([0f, 1f, 2f, 3f, 4f]).Should().Equal(0, 0, 0, 1, 1);
    }

    [Fact]
    public void Transform_MatchesPytsDocstringExample()
    {
        // pyts KBinsDiscretizer(n_bins=2) docstring: [0, 1, 0, 2, 3, 3, 2, 1] -> [0, 0, 0, 1, 1, 1, 1, 0].
        new BinDiscretizer(new() { BinCount = 2 }).Transform([0f, 1f, 0f, 2f, 3f, 3f, 2f, 1f]).Should().Equal(0, 0, 0, 1, 1, 1, 1, 0);
        new BinDiscretizer(new() { BinCount = 2 }).Transform([7f, 0f, 6f, 1f, 5f, 3f, 4f, 2f]).Should().Equal(1, 0, 1, 0, 1, 0, 1, 0);
    }

    [Fact]
    public void ComputeEdges_Quantile_DropsNearDuplicateEdges()
    {
        // Five zeros and six twos (pyts's warning test): the 20/40 % quantiles coincide at 0 and collapse to one edge.
        float[] x = [0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2];
        var edges = new double[4];
        int count = new BinDiscretizer(new() { BinCount = 5 }).ComputeEdges(x, edges);
        double[] all = [0, 0, 2, 2];
        count.Should().BeLessThan(4);
        edges[..count].Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        edges[..count].Should().BeSubsetOf(all);
    }

    [Fact]
    public void ComputeEdges_Uniform_SplitsRangeEvenly()
    {
        var edges = new double[3];
        new BinDiscretizer(new() { BinCount = 4, Strategy = BinStrategy.Uniform }).ComputeEdges([2f, 10f, 4f, 6f], edges).Should().Be(3);
        edges.Should().Equal(4, 6, 8);
    }

    [Theory]
    [InlineData(2, new[] { 0.0 })]
    [InlineData(4, new[] { -0.6744897501960817, 0.0, 0.6744897501960817 })]
    [InlineData(5, new[] { -0.8416212335729143, -0.2533471031357997, 0.2533471031357997, 0.8416212335729143 })]
    public void ComputeEdges_Normal_AreStandardNormalQuantiles(int bins, double[] expected)
    {
        var edges = new double[bins - 1];
        new BinDiscretizer(new() { BinCount = bins, Strategy = BinStrategy.Normal }).ComputeEdges(ScalarOracle.RandomWalk(20, 1), edges);
        for (int i = 0; i < expected.Length; i++)
        {
            edges[i].Should().BeApproximately(expected[i], 1e-12);
        }
    }

    [Fact]
    public void Transform_MatchesOracle_ForManyLengths()
    {
        foreach (int length in ScalarOracle.Lengths.Where(n => n >= 8))
        {
            float[] x = ScalarOracle.RandomWalk(length, length);
            foreach (var strategy in new[] { BinStrategy.Quantile, BinStrategy.Uniform, BinStrategy.Normal })
            {
                new BinDiscretizer(new() { BinCount = 8, Strategy = strategy }).Transform(x).Should().Equal(ScalarOracle.Bins(x, 8, strategy), $"n={length} {strategy}");
            }
        }
    }

    [Fact]
    public void Transform_ConstantSignal_Throws()
    {
        var act = () => new BinDiscretizer().Transform(Enumerable.Repeat(1f, 10).ToArray());
        act.Should().Throw<ArgumentException>().WithParameterName("signal").WithMessage("*constant*");
    }

    [Fact]
    public void Transform_NonFinite_ThrowsWithIndex()
    {
        var act = () => new BinDiscretizer().Transform([1f, 2f, float.NaN, 4f, 5f, 6f]);
        act.Should().Throw<ArgumentException>().WithParameterName("signal").WithMessage("*signal[2]*NaN*");
    }

    [Fact]
    public void Transform_ShortDestination_Throws()
    {
        var act = () => new BinDiscretizer().Transform(ScalarOracle.RandomWalk(10, 1), new int[9]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-4)]
    public void Constructor_RejectsBadBinCount(int bins)
    {
        var act = () => new BinDiscretizer(new() { BinCount = bins });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("BinCount").WithMessage($"*between 2 and 65536*{bins}*");
    }
}
