using EcgVision.Encoding;

namespace EcgVision.Tests.Encoding;

public sealed class PiecewiseAggregateApproximationTests
{
    [Fact]
    public void Transform_HandComputed_NonOverlapping()
    {
        // linspace(0, 10, 4) truncated: windows [0,3), [3,6), [6,10).
        new PiecewiseAggregateApproximation(new() { OutputSize = 3 }).Transform([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).Should().Equal(1f, 4f, 7.5f);
    }

    [Fact]
    public void Transform_HandComputed_Overlapping()
    {
        // Fixed windows of ceil(10/3) = 4, shifted back by linspace(0, 2, 3) = 0, 1, 2: [0,4), [3,7), [6,10).
        new PiecewiseAggregateApproximation(new() { OutputSize = 3, Overlapping = true }).Transform([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).Should().Equal(1.5f, 4.5f, 7.5f);
    }

    public static TheoryData<int> Lengths() => new(ScalarOracle.Lengths);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Transform_MatchesOracle(int length)
    {
        float[] x = ScalarOracle.RandomWalk(length, length);
        foreach (int m in new[] { 1, Math.Max(1, length / 3), Math.Max(1, length - 1), length }.Distinct())
        {
            foreach (bool overlapping in new[] { false, true })
            {
                float[] actual = new PiecewiseAggregateApproximation(new() { OutputSize = m, Overlapping = overlapping }).Transform(x);
                ScalarOracle.AssertClose(actual, ScalarOracle.Paa(x, m, overlapping), 1e-5, $"n={length} m={m} overlapping={overlapping}");
            }
        }
    }

    [Fact]
    public void Transform_FractionOutputSize_UsesCeiling()
    {
        new PiecewiseAggregateApproximation(new() { OutputSize = OutputSize.Fraction(0.25) }).GetOutputLength(37).Should().Be(10);
    }

    [Theory]
    [InlineData(11, 10)]
    [InlineData(1, 0)]
    public void Transform_OutputLongerThanSignal_Throws(int size, int length)
    {
        var act = () => new PiecewiseAggregateApproximation(new() { OutputSize = size }).Transform(new float[length]);
        act.Should().Throw<ArgumentException>().WithParameterName("signal");
    }

    [Fact]
    public void Transform_ShortDestination_Throws()
    {
        var act = () => new PiecewiseAggregateApproximation(new() { OutputSize = 4 }).Transform(new float[8], new float[3]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    [Fact]
    public void Constructor_RejectsZeroOutputSize()
    {
        var act = () => new PiecewiseAggregateApproximation(new() { OutputSize = 0 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("OutputSize").WithMessage("*at least 1*0*");
    }
}
