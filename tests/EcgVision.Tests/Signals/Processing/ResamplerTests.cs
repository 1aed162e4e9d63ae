using System.Text.Json;
using EcgVision.Signals.Processing;

namespace EcgVision.Tests.Signals.Processing;

public class ResamplerTests
{
    public static TheoryData<int> ResampleCaseIndices() => new(Enumerable.Range(0, ScipyVectors.Cases("resample_poly").Count()));

    [Theory]
    [MemberData(nameof(ResampleCaseIndices))]
    public void Resample_Double_MatchesScipyResamplePoly(int index)
    {
        JsonElement c = ScipyVectors.Cases("resample_poly").ElementAt(index);
        double[] x = ScipyVectors.Input(c, c.GetProperty("fs").GetDouble());
        double[] y = Resampler.ResamplePoly(x, c.GetProperty("up").GetInt32(), c.GetProperty("down").GetInt32());
        ScipyVectors.AssertMatches(c.GetProperty("y"), y, 1e-9, $"resample_poly case {index}");
    }

    [Theory]
    [MemberData(nameof(ResampleCaseIndices))]
    public void Resample_FloatRates_MatchesScipyRelativeToRange(int index)
    {
        JsonElement c = ScipyVectors.Cases("resample_poly").ElementAt(index);
        double fs = c.GetProperty("fs").GetDouble();
        int up = c.GetProperty("up").GetInt32(), down = c.GetProperty("down").GetInt32();
        double[] x = ScipyVectors.Input(c, fs);
        float[] y = Resampler.Resample(x.Select(v => (float)v).ToArray(), fs, fs * up / down);
        double range = x.Max() - x.Min();
        ScipyVectors.AssertMatches(c.GetProperty("y"), y.Select(v => (double)v).ToArray(), 1e-4 * range, $"float resample case {index}");
    }

    [Theory]
    [InlineData(500, 100, 1, 5)]
    [InlineData(100, 500, 5, 1)]
    [InlineData(360, 500, 25, 18)]
    [InlineData(250, 100, 2, 5)]
    [InlineData(128, 128, 1, 1)]
    [InlineData(1000, 257.5, 103, 400)]
    public void GetRatio_ReducesRates(double from, double to, int up, int down)
    {
        Resampler.GetRatio(from, to).Should().Be((up, down));
    }

    [Fact]
    public void Resample_SameRate_ReturnsCopy()
    {
        float[] x = [1, 2, 3];
        Resampler.Resample(x, 100, 100).Should().Equal(x);
    }

    [Fact]
    public void Resample_SineDownsampled_KeepsSine()
    {
        float[] x = Enumerable.Range(0, 5000).Select(i => MathF.Sin(2 * MathF.PI * 5 * i / 500f)).ToArray();
        float[] y = Resampler.Resample(x, 500, 100);
        y.Length.Should().Be(1000);
        for (int i = 50; i < 950; i++)
        {
            y[i].Should().BeApproximately(MathF.Sin(2 * MathF.PI * 5 * i / 100f), 2e-3f);
        }
    }

    public static TheoryData<Action, string, string> InvalidCalls() => new()
    {
        { () => Resampler.Resample(new float[10], 0, 100), "fromRate", "fromRate must be finite and greater than 0 (got 0)." },
        { () => Resampler.Resample(new float[10], 100, double.NaN), "toRate", "toRate must be finite and greater than 0 (got NaN)." },
        { () => Resampler.Resample(new float[10], 1000, 999.9), "toRate", "must reduce to a fraction up/down with up and down at most 1000" },
        { () => Resampler.ResamplePoly(new float[10], 0, 1), "up", "up must be between 1 and 1000 (got 0)." },
        { () => Resampler.ResamplePoly(new float[10], 1, 1001), "down", "down must be between 1 and 1000 (got 1001)." },
        { () => Resampler.ResamplePoly(new float[10], 1, 2, new float[4]), "destination", "destination must hold at least 5 samples (got 4)." },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public void Resample_InvalidArguments_ThrowWithNamedParameter(Action act, string parameter, string message)
    {
        act.Should().Throw<ArgumentException>().WithParameterName(parameter).Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }
}
