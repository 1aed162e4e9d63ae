using EcgVision.Encoding;

namespace EcgVision.Tests.Encoding;

public sealed class GramianAngularFieldEncoderTests : EcgImageEncoderContractTests<GramianAngularFieldEncoder>
{
    protected override GramianAngularFieldEncoder CreateEncoder() => new(new() { ImageSize = 16 });

    protected override float MinValue => -1f;

    protected override float MaxValue => 1f;

    public static TheoryData<int> Lengths() => new(ScalarOracle.Lengths);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Encode_MatchesArccosOracle(int length)
    {
        float[] x = ScalarOracle.RandomWalk(length, length);
        int[] sizes = length <= 64 ? [length, Math.Max(1, length / 2), 1] : [64, 17];
        foreach (int size in sizes)
        {
            foreach (var method in new[] { GramianAngularFieldMethod.Summation, GramianAngularFieldMethod.Difference })
            {
                foreach (bool overlapping in new[] { false, true })
                {
                    var encoder = new GramianAngularFieldEncoder(new() { ImageSize = size, Method = method, Overlapping = overlapping, SampleRange = new(-1, 0.5) });
                    double[] expected = ScalarOracle.Gaf(x, size, method, new(-1, 0.5), overlapping);
                    float[] actual = encoder.Encode(x);
                    ScalarOracle.AssertClose(actual, expected, 2e-5, $"n={length} S={size} {method} overlapping={overlapping}");
                }
            }
        }
    }

    [Fact]
    public void Encode_HandComputedSummationField()
    {
        // x = 0..3 scaled to [-1, 1]: cos φ = (-1, -1/3, 1/3, 1); GASF = cos φi cos φj − sin φi sin φj.
        float[] image = new GramianAngularFieldEncoder(new() { ImageSize = 4 }).Encode([0f, 1f, 2f, 3f]);
        float t = 1f / 3, n = 7f / 9;
        float[] expected =
        [
            1, t, -t, -1,
            t, -n, -1, -t,
            -t, -1, -n, t,
            -1, -t, t, 1,
        ];
        image.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Encode_HandComputedDifferenceField_RowIndexFirst()
    {
        // GADF[i, j] = sin(φi − φj) = sin φi cos φj − cos φi sin φj; with sin φ = (0, √8/3, √8/3, 0).
        float[] image = new GramianAngularFieldEncoder(new() { ImageSize = 4, Method = GramianAngularFieldMethod.Difference }).Encode([0f, 1f, 2f, 3f]);
        float s = MathF.Sqrt(8) / 3, u = 2 * MathF.Sqrt(8) / 9;
        float[] expected =
        [
            0, s, s, 0,
            -s, 0, u, s,
            -s, -u, 0, s,
            0, -s, -s, 0,
        ];
        image.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Encode_ConstantSignal_GivesPytsResult()
    {
        // scikit-learn's MinMaxScaler maps a constant to the range minimum: cos φ = −1, sin φ = 0 everywhere.
        float[] constant = Enumerable.Repeat(0.7f, 50).ToArray();
        new GramianAngularFieldEncoder(new() { ImageSize = 10 }).Encode(constant).Should().AllBeEquivalentTo(1f);
        new GramianAngularFieldEncoder(new() { ImageSize = 10, Method = GramianAngularFieldMethod.Difference }).Encode(constant).Should().AllBeEquivalentTo(0f);
        // With a range [0, 1] the constant maps to 0: cos φ = 0, sin φ = 1, GASF = −1.
        new GramianAngularFieldEncoder(new() { ImageSize = 10, SampleRange = new(0, 1) }).Encode(constant).Should().AllBeEquivalentTo(-1f);
    }

    [Fact]
    public void Encode_FractionImageSize_UsesCeiling()
    {
        var encoder = new GramianAngularFieldEncoder(new() { ImageSize = OutputSize.Fraction(0.5) });
        encoder.GetImageSize(37).Should().Be(19);
        encoder.Encode(ScalarOracle.RandomWalk(37, 1)).Should().HaveCount(19 * 19);
    }

    [Fact]
    public void Encode_PreScaledInputOutsideUnitInterval_Throws()
    {
        var encoder = new GramianAngularFieldEncoder(new() { ImageSize = 4, SampleRange = null });
        encoder.Encode([0.5f, -0.5f, 1f, -1f]).Should().HaveCount(16);
        var act = () => encoder.Encode([0.5f, -0.5f, 1.5f, -1f]);
        act.Should().Throw<ArgumentException>().WithParameterName("signal").WithMessage("*[-1, 1]*1.5*");
    }

    public static TheoryData<GramianAngularFieldOptions, Type, string> BadOptions() => new()
    {
        { new() { ImageSize = 0 }, typeof(ArgumentOutOfRangeException), "*ImageSize*at least 1*0*" },
        { new() { ImageSize = -3 }, typeof(ArgumentOutOfRangeException), "*ImageSize*-3*" },
        { new() { ImageSize = OutputSize.Fraction(1.5) }, typeof(ArgumentOutOfRangeException), "*ImageSize*(0, 1]*1.5*" },
        { new() { ImageSize = OutputSize.Fraction(-0.1) }, typeof(ArgumentOutOfRangeException), "*ImageSize*-0.1*" },
        { new() { SampleRange = new(0, 0) }, typeof(ArgumentOutOfRangeException), "*SampleRange*-1 <= Min < Max <= 1*[0, 0]*" },
        { new() { SampleRange = new(-2, 1) }, typeof(ArgumentOutOfRangeException), "*SampleRange*[-2, 1]*" },
        { new() { SampleRange = new(0, 1.5) }, typeof(ArgumentOutOfRangeException), "*SampleRange*[0, 1.5]*" },
        { new() { Method = (GramianAngularFieldMethod)7 }, typeof(NotSupportedException), "*7*" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_RejectsBadOptions(GramianAngularFieldOptions options, Type exception, string message)
    {
        var act = () => new GramianAngularFieldEncoder(options);
        act.Should().Throw<Exception>().Which.Should().BeOfType(exception).And.Subject.As<Exception>().Message.Should().Match(message);
    }

    [Theory]
    [InlineData(65, 64)]
    [InlineData(1, 0)]
    public void Encode_ImageLargerThanSignal_Throws(int imageSize, int length)
    {
        var act = () => new GramianAngularFieldEncoder(new() { ImageSize = imageSize }).Encode(new float[length]);
        act.Should().Throw<ArgumentException>().WithParameterName("signal");
    }
}
