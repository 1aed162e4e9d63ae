using EcgVision.Signals.Processing;

namespace EcgVision.Tests.Signals.Processing;

public class BaselineWanderTests
{
    private static (float[] Clean, float[] WithWander) Signal(double fs)
    {
        (float[] clean, _) = SyntheticBeats.Generate(70, fs, 20, seed: 4, wander: 0, noise: 0);
        var wandering = new float[clean.Length];
        for (int i = 0; i < clean.Length; i++)
        {
            double t = i / fs;
            wandering[i] = clean[i] + (float)((0.8 * Math.Sin(2 * Math.PI * 0.15 * t)) + 0.5 + (0.05 * t));
        }

        return (clean, wandering);
    }

    [Theory]
    [InlineData(BaselineWanderMethod.HighPass, 100.0)]
    [InlineData(BaselineWanderMethod.HighPass, 500.0)]
    [InlineData(BaselineWanderMethod.MedianFilter, 100.0)]
    [InlineData(BaselineWanderMethod.MedianFilter, 500.0)]
    public void Remove_SlowDrift_IsLargelyRemoved(BaselineWanderMethod method, double fs)
    {
        (float[] clean, float[] wandering) = Signal(fs);
        float[] corrected = BaselineWander.Remove(wandering, fs, new BaselineWanderOptions { Method = method });

        // Compare the slow component (1-s means) away from the edges: the drift of up to 2.3 mV must be gone.
        int second = (int)fs;
        for (int start = 2 * second; start + second <= clean.Length - (2 * second); start += second)
        {
            double cleanMean = clean.Skip(start).Take(second).Average();
            double correctedMean = corrected.Skip(start).Take(second).Average();
            correctedMean.Should().BeApproximately(cleanMean, 0.12, $"{method} at {fs} Hz, second {start / second}");
        }

        // R peaks keep most of their height.
        corrected.Max().Should().BeGreaterThan(0.8f);
    }

    [Fact]
    public void Remove_HighPass_EqualsZeroPhaseButterworth()
    {
        (_, float[] wandering) = Signal(250);
        float[] expected = Butterworth.HighPass(2, 0.5, 250).FilterForwardBackward(wandering);
        BaselineWander.Remove(wandering, 250).Should().Equal(expected);
    }

    [Fact]
    public void Remove_MedianFilter_ConstantSignalBecomesZero()
    {
        float[] flat = Enumerable.Repeat(3f, 300).ToArray();
        BaselineWander.Remove(flat, 100, new BaselineWanderOptions { Method = BaselineWanderMethod.MedianFilter })
            .Should().OnlyContain(v => v == 0);
    }

    public static TheoryData<Action, string, string> InvalidCalls() => new()
    {
        { () => BaselineWander.Remove(new float[100], 0), "samplingRate", "samplingRate must be finite and greater than 0 (got 0)." },
        { () => BaselineWander.Remove(new float[100], 100, new BaselineWanderOptions { CutoffHz = 60 }), "options", "options.CutoffHz must be between 0 and the Nyquist frequency 50 Hz, exclusive (got 60)." },
        { () => BaselineWander.Remove(new float[100], 100, new BaselineWanderOptions { Order = 0 }), "options", "options.Order must be between 1 and 32 (got 0)." },
        { () => BaselineWander.Remove(new float[100], 100, new BaselineWanderOptions { Method = BaselineWanderMethod.MedianFilter, FirstMedianWindow = TimeSpan.Zero }), "options", "options.FirstMedianWindow must be between 0 and 10 s, exclusive of 0 (got 0 ms)." },
        { () => BaselineWander.Remove(new float[] { 1, float.NaN, 2 }, 100, new BaselineWanderOptions { Method = BaselineWanderMethod.MedianFilter }), "signal", "signal has NaN at sample 1" },
        { () => BaselineWander.Remove(new float[5], 100), "x", "at least 10 samples (got 5)" },
        { () => BaselineWander.Remove(new float[100], 100, new float[99]), "destination", "(got 99)" },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public void Remove_InvalidArguments_ThrowWithNamedParameter(Action act, string parameter, string message)
    {
        act.Should().Throw<ArgumentException>().WithParameterName(parameter).Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Remove_UndefinedMethod_ThrowsNotSupported()
    {
        Action act = () => BaselineWander.Remove(new float[100], 100, new BaselineWanderOptions { Method = (BaselineWanderMethod)7 });
        act.Should().Throw<NotSupportedException>().WithMessage("*7*");
    }
}
