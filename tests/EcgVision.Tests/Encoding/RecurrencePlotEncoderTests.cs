using EcgVision.Encoding;

namespace EcgVision.Tests.Encoding;

public sealed class RecurrencePlotEncoderTests : EcgImageEncoderContractTests<RecurrencePlotEncoder>
{
    protected override RecurrencePlotEncoder CreateEncoder() => new(new() { ImageSize = 16, Dimension = 2, TimeDelay = 3 });

    protected override float MinValue => 0f;

    protected override float MaxValue => float.MaxValue;

    public static TheoryData<int> Lengths() => new(ScalarOracle.Lengths);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Encode_MatchesNaiveDistances(int length)
    {
        float[] x = ScalarOracle.RandomWalk(length, 300 + length);
        foreach (var (m, tau) in new[] { (1, 1), (2, 1), (3, 2) })
        {
            if (length - (m - 1) * tau < 1)
            {
                continue;
            }

            // Full pyts-sized plots up to 500 samples; beyond that, the PAA-reduced 64-pixel plot.
            bool reduce = length > 500;
            int size = reduce ? 64 : length - (m - 1) * tau;
            var encoder = new RecurrencePlotEncoder(new() { Dimension = m, TimeDelay = tau, ImageSize = reduce ? 64 : null });
            double[] source = reduce
                ? ScalarOracle.Paa(x, 64 + (m - 1) * tau, overlapping: false).Select(v => (double)(float)v).ToArray()
                : x.Select(v => (double)v).ToArray();
            double[] expected = ScalarOracle.RecurrenceDistances(source, m, tau);
            float[] actual = encoder.Encode(x);
            actual.Should().HaveCount(size * size);
            ScalarOracle.AssertClose(actual, expected, 2e-5, $"n={length} m={m} tau={tau}");
        }
    }

    [Fact]
    public void Encode_HandComputedPlot_StrictThreshold()
    {
        float[] x = [0f, 1f, 3f];
        new RecurrencePlotEncoder().Encode(x).Should().Equal(0, 1, 3, 1, 0, 2, 3, 2, 0);
        // ε = 2 with a strict '<': the distance-2 pair is not a recurrence.
        new RecurrencePlotEncoder(new() { Threshold = RecurrencePlotThreshold.Fixed, Epsilon = 2 }).Encode(x).Should().Equal(1, 1, 0, 1, 1, 0, 0, 0, 1);
        // 'distance' with 50 %: ε = 1.5.
        new RecurrencePlotEncoder(new() { Threshold = RecurrencePlotThreshold.Distance, Percentage = 50 }).Encode(x).Should().Equal(1, 1, 0, 1, 1, 0, 0, 0, 1);
        // 'point' with 50 %: the median of {0,0,0,1,1,2,2,3,3} is 1, so only zeros pass.
        new RecurrencePlotEncoder(new() { Threshold = RecurrencePlotThreshold.Point, Percentage = 50 }).Encode(x).Should().Equal(1, 0, 0, 0, 1, 0, 0, 0, 1);
        // Saturation at 1 (Qiu): distances ≥ 1 become 1.
        new RecurrencePlotEncoder(new() { MaxDistance = 1 }).Encode(x).Should().Equal(0, 1, 1, 1, 0, 1, 1, 1, 0);
    }

    [Fact]
    public void Encode_EmbeddedDistances_HandComputed()
    {
        // m = 2, τ = 1: trajectories (0,1), (1,3), (3,3) → ‖(0,1)−(1,3)‖ = √5, ‖(0,1)−(3,3)‖ = √13, ‖(1,3)−(3,3)‖ = 2.
        float[] image = new RecurrencePlotEncoder(new() { Dimension = 2 }).Encode([0f, 1f, 3f, 3f]);
        float a = MathF.Sqrt(5), b = MathF.Sqrt(13);
        image.Should().Equal([0, a, b, a, 0, 2, b, 2, 0], (p, q) => Math.Abs(p - q) < 1e-6);
    }

    [Fact]
    public void Encode_ConstantSignal_IsAllZero_OrAllRecurrent()
    {
        float[] constant = Enumerable.Repeat(-3f, 20).ToArray();
        new RecurrencePlotEncoder().Encode(constant).Should().AllBeEquivalentTo(0f);
        new RecurrencePlotEncoder(new() { Threshold = RecurrencePlotThreshold.Fixed, Epsilon = 0.5 }).Encode(constant).Should().AllBeEquivalentTo(1f);
    }

    [Theory]
    [InlineData(3, 5, 10)]
    [InlineData(11, 1, 10)]
    public void Encode_TooFewTrajectories_Throws(int dimension, int delay, int length)
    {
        var act = () => new RecurrencePlotEncoder(new() { Dimension = dimension, TimeDelay = delay }).Encode(new float[length]);
        act.Should().Throw<ArgumentException>().WithParameterName("signal").WithMessage("*trajectories*");
    }

    public static TheoryData<RecurrencePlotOptions, Type, string> BadOptions() => new()
    {
        { new() { Dimension = 0 }, typeof(ArgumentOutOfRangeException), "*Dimension*0*" },
        { new() { TimeDelay = -1 }, typeof(ArgumentOutOfRangeException), "*TimeDelay*-1*" },
        { new() { Epsilon = 0 }, typeof(ArgumentOutOfRangeException), "*Epsilon*greater than 0*0*" },
        { new() { Epsilon = double.NaN }, typeof(ArgumentOutOfRangeException), "*Epsilon*NaN*" },
        { new() { Percentage = 101 }, typeof(ArgumentOutOfRangeException), "*Percentage*between 0 and 100*101*" },
        { new() { Percentage = -5 }, typeof(ArgumentOutOfRangeException), "*Percentage*-5*" },
        { new() { MaxDistance = 0 }, typeof(ArgumentOutOfRangeException), "*MaxDistance*0*" },
        { new() { ImageSize = 0 }, typeof(ArgumentOutOfRangeException), "*ImageSize*0*" },
        { new() { Threshold = (RecurrencePlotThreshold)12 }, typeof(NotSupportedException), "*12*" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_RejectsBadOptions(RecurrencePlotOptions options, Type exception, string message)
    {
        var act = () => new RecurrencePlotEncoder(options);
        act.Should().Throw<Exception>().Which.Should().BeOfType(exception).And.Subject.As<Exception>().Message.Should().Match(message);
    }
}
