using EcgVision.Signals.Processing;

namespace EcgVision.Tests.Signals.Processing;

public class NormalizationTests
{
    public static TheoryData<int> Lengths() => new([.. Enumerable.Range(1, 17), 31, 32, 33, 500, 5000]);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ZScore_MatchesScalarOracle(int length)
    {
        float[] x = ScipyVectors.Noise((ulong)length, length).Select(v => (float)(3 + (2 * v))).ToArray();
        var y = new float[length];
        Normalization.ZScore(x, y);
        double mean = x.Average(v => (double)v);
        double std = Math.Sqrt(x.Average(v => (v - mean) * (v - mean)));
        for (int i = 0; i < length; i++)
        {
            double expected = std == 0 ? 0 : (x[i] - mean) / std;
            y[i].Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MinMaxAndMaxAbs_MatchScalarOracle(int length)
    {
        float[] x = ScipyVectors.Noise((ulong)length + 100, length).Select(v => (float)v).ToArray();
        var y = new float[length];
        Normalization.MinMax(x, y, -1, 1);
        float lo = x.Min(), hi = x.Max();
        for (int i = 0; i < length; i++)
        {
            float expected = hi == lo ? -1 : ((x[i] - lo) / (hi - lo) * 2) - 1;
            y[i].Should().BeApproximately(expected, 1e-5f);
        }

        Normalization.MaxAbs(x, y);
        float peak = x.Max(MathF.Abs);
        for (int i = 0; i < length; i++)
        {
            y[i].Should().BeApproximately(x[i] / peak, 1e-6f);
        }
    }

    [Fact]
    public void ConstantSignal_GivesZerosOrRangeMinimum_NotNaN()
    {
        float[] x = [2.5f, 2.5f, 2.5f];
        var y = new float[3];
        Normalization.ZScore(x, y);
        y.Should().Equal(0, 0, 0);
        Normalization.MinMax(x, y, 0.25f, 1);
        y.Should().Equal(0.25f, 0.25f, 0.25f);
        Normalization.MaxAbs(new float[3], y);
        y.Should().Equal(0, 0, 0);
    }

    [Fact]
    public void ZScore_InPlace_Works()
    {
        float[] x = [1, 2, 3];
        Normalization.ZScore(x, x);
        x[1].Should().Be(0);
        x[2].Should().BeApproximately(1.2247449f, 1e-6f);
    }

    [Fact]
    public void ZScore_NaN_PropagatesToWholeOutput()
    {
        float[] x = [1, float.NaN, 3];
        var y = new float[3];
        Normalization.ZScore(x, y);
        y.Should().OnlyContain(v => float.IsNaN(v));
    }

    public static TheoryData<Action, string, string> InvalidCalls() => new()
    {
        { () => Normalization.ZScore(new float[3], new float[2]), "destination", "destination must hold at least x.Length (3) samples (got 2)." },
        { () => Normalization.MaxAbs(new float[3], new float[2]), "destination", "(got 2)" },
        { () => Normalization.MinMax(new float[3], new float[3], 1, 1), "max", "max must be finite and greater than min (1) (got 1)." },
        { () => Normalization.MinMax(new float[3], new float[3], 0, float.NaN), "max", "(got NaN)" },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public void Methods_InvalidArguments_ThrowWithNamedParameter(Action act, string parameter, string message)
    {
        act.Should().Throw<ArgumentException>().WithParameterName(parameter).Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }
}
