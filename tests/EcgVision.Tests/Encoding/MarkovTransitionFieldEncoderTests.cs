using EcgVision.Encoding;

namespace EcgVision.Tests.Encoding;

public sealed class MarkovTransitionFieldEncoderTests : EcgImageEncoderContractTests<MarkovTransitionFieldEncoder>
{
    protected override MarkovTransitionFieldEncoder CreateEncoder() => new(new() { ImageSize = 16 });

    protected override float MinValue => 0f;

    protected override float MaxValue => 1f;

    public static TheoryData<int> Lengths() => new(ScalarOracle.Lengths);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Encode_MatchesFullFieldOracle(int length)
    {
        float[] x = ScalarOracle.RandomWalk(length, 100 + length);
        if (length < 2)
        {
            x = [0f];
        }

        int[] sizes = length <= 64 ? [length, Math.Max(1, (length + 2) / 3)] : length <= 500 ? [64, 31] : [37];
        foreach (int size in sizes)
        {
            foreach (var strategy in new[] { BinStrategy.Quantile, BinStrategy.Uniform, BinStrategy.Normal })
            {
                foreach (bool overlapping in new[] { false, true })
                {
                    int bins = Math.Min(length, strategy == BinStrategy.Normal ? 3 : 5);
                    if (bins < 2)
                    {
                        continue;
                    }

                    var encoder = new MarkovTransitionFieldEncoder(new() { ImageSize = size, BinCount = bins, Strategy = strategy, Overlapping = overlapping });
                    double[] expected = ScalarOracle.Mtf(x, size, bins, strategy, overlapping);
                    float[] actual = encoder.Encode(x);
                    ScalarOracle.AssertClose(actual, expected, 1e-5, $"n={length} S={size} {strategy} overlapping={overlapping}");
                }
            }
        }
    }

    [Fact]
    public void Encode_HandComputedField()
    {
        // Quantile edge with 2 bins is the median 0.5: bins 0,1,0,1,1,0. Transitions 0→1, 1→0, 0→1, 1→1, 1→0:
        // W = [[0, 1], [2/3, 1/3]], and M[j, k] = W[bin j, bin k].
        float[] image = new MarkovTransitionFieldEncoder(new() { ImageSize = 6, BinCount = 2 }).Encode([0f, 1f, 0f, 1f, 1f, 0f]);
        int[] b = [0, 1, 0, 1, 1, 0];
        float[,] w = { { 0f, 1f }, { 2f / 3, 1f / 3 } };
        for (int j = 0; j < 6; j++)
        {
            for (int k = 0; k < 6; k++)
            {
                image[j * 6 + k].Should().BeApproximately(w[b[j], b[k]], 1e-6f);
            }
        }

        // Aggregated to 3 × 3 over blocks {0,1}, {2,3}, {4,5}: block (0, 0) holds W00, W01, W10, W11 → mean 0.5.
        float[] small = new MarkovTransitionFieldEncoder(new() { ImageSize = 3, BinCount = 2 }).Encode([0f, 1f, 0f, 1f, 1f, 0f]);
        small[0].Should().BeApproximately(0.5f, 1e-6f);
    }

    [Fact]
    public void Encode_ConstantSignal_ThrowsLikePyts_OrGivesOnesWhenAllowed()
    {
        float[] constant = Enumerable.Repeat(2f, 40).ToArray();
        var act = () => new MarkovTransitionFieldEncoder(new() { ImageSize = 8 }).Encode(constant);
        act.Should().Throw<ArgumentException>().WithParameterName("signal").WithMessage("*constant*2*");
        new MarkovTransitionFieldEncoder(new() { ImageSize = 8, ThrowOnConstantSignal = false }).Encode(constant).Should().AllBeEquivalentTo(1f);
    }

    [Fact]
    public void Encode_FewerSamplesThanBins_Throws()
    {
        var act = () => new MarkovTransitionFieldEncoder(new() { ImageSize = 3, BinCount = 5 }).Encode([1f, 2f, 3f, 4f]);
        act.Should().Throw<ArgumentException>().WithParameterName("signal").WithMessage("*length (4)*BinCount (5)*");
    }

    public static TheoryData<MarkovTransitionFieldOptions, Type, string> BadOptions() => new()
    {
        { new() { ImageSize = 0 }, typeof(ArgumentOutOfRangeException), "*ImageSize*0*" },
        { new() { BinCount = 1 }, typeof(ArgumentOutOfRangeException), "*BinCount*between 2 and 65536*1*" },
        { new() { BinCount = 100_000 }, typeof(ArgumentOutOfRangeException), "*BinCount*100000*" },
        { new() { Strategy = (BinStrategy)9 }, typeof(NotSupportedException), "*9*" },
        { new() { ImageSize = OutputSize.Fraction(2) }, typeof(ArgumentOutOfRangeException), "*ImageSize*2*" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_RejectsBadOptions(MarkovTransitionFieldOptions options, Type exception, string message)
    {
        var act = () => new MarkovTransitionFieldEncoder(options);
        act.Should().Throw<Exception>().Which.Should().BeOfType(exception).And.Subject.As<Exception>().Message.Should().Match(message);
    }
}
