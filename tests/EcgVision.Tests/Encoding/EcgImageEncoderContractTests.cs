using EcgVision.Encoding;

namespace EcgVision.Tests.Encoding;

/// <summary>The contract every <see cref="IEcgImageEncoder"/> honours: shape, destination errors, determinism, value range, NaN/∞ rejection.</summary>
public abstract class EcgImageEncoderContractTests<TEncoder>
    where TEncoder : IEcgImageEncoder
{
    /// <summary>An encoder with a fixed 16-pixel image for the contract checks.</summary>
    protected abstract TEncoder CreateEncoder();

    protected abstract float MinValue { get; }

    protected abstract float MaxValue { get; }

    protected static float[] Signal(int length = 100, int seed = 7) => ScalarOracle.RandomWalk(length, seed);

    [Fact]
    public void Encode_WritesSizeSquaredValues_AndLeavesTheRestOfDestination()
    {
        var encoder = CreateEncoder();
        int size = encoder.GetImageSize(100);
        var destination = new float[size * size + 5];
        destination.AsSpan().Fill(-42f);
        encoder.Encode(Signal(), destination);
        destination[(size * size)..].Should().AllBeEquivalentTo(-42f);
        destination[..(size * size)].Should().NotContain(-42f);
        encoder.Encode(Signal()).Should().HaveCount(size * size);
    }

    [Fact]
    public void Encode_DoesNotAllocate_AfterWarmUp()
    {
        var encoder = CreateEncoder();
        float[] signal = Signal(500, 9);
        var destination = new float[encoder.GetImageSize(500) * encoder.GetImageSize(500)];
        encoder.Encode(signal, destination);
        long before = GC.GetAllocatedBytesForCurrentThread();
        encoder.Encode(signal, destination);
        GC.GetAllocatedBytesForCurrentThread().Should().Be(before);
    }

    [Fact]
    public void Encode_ThrowsForTooShortDestination()
    {
        var encoder = CreateEncoder();
        int size = encoder.GetImageSize(100);
        var act = () => encoder.Encode(Signal(), new float[size * size - 1]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage($"*{size * size}*");
    }

    [Fact]
    public void Encode_IsDeterministic_AcrossCallsAndThreads()
    {
        var encoder = CreateEncoder();
        float[] first = encoder.Encode(Signal(500, 3));
        var results = new float[8][];
        Parallel.For(0, results.Length, i => results[i] = encoder.Encode(Signal(500, 3)));
        foreach (float[] r in results)
        {
            r.Should().Equal(first);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Encode_StaysInDocumentedRange(int seed)
    {
        var encoder = CreateEncoder();
        float[] image = encoder.Encode(Signal(300, seed));
        image.Should().OnlyContain(v => v >= MinValue && v <= MaxValue);
    }

    [Theory]
    [InlineData(float.NaN, 0)]
    [InlineData(float.NaN, 57)]
    [InlineData(float.PositiveInfinity, 99)]
    [InlineData(float.NegativeInfinity, 13)]
    public void Encode_NonFiniteSample_ThrowsNamingSignalAndIndex(float bad, int index)
    {
        float[] signal = Signal();
        signal[index] = bad;
        var act = () => CreateEncoder().Encode(signal);
        act.Should().Throw<ArgumentException>().WithParameterName("signal").WithMessage($"*signal[{index}]*");
    }

    [Fact]
    public void Encode_EmptySignal_Throws()
    {
        var act = () => CreateEncoder().Encode(ReadOnlySpan<float>.Empty, new float[1024]);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void GetImageSize_SignalShorterThanImage_Throws()
    {
        var act = () => CreateEncoder().GetImageSize(8);
        act.Should().Throw<ArgumentException>().WithMessage("*signal length (8)*");
    }
}
