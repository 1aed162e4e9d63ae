using CsCheck;
using System.Text.Json;
using EcgVision.Signals.Processing;

namespace EcgVision.Tests.Signals.Processing;

public class SecondOrderSectionsTests
{
    public static TheoryData<int> FiltFiltCaseIndices() => new(Enumerable.Range(0, ScipyVectors.Cases("sosfiltfilt").Count()));

    private static SecondOrderSections DesignFor(JsonElement c)
    {
        double[] cutoff = ScipyVectors.Doubles(c.GetProperty("cutoff"));
        FilterBand band = c.GetProperty("band").GetString() switch
        {
            "lowpass" => FilterBand.LowPass,
            "highpass" => FilterBand.HighPass,
            "bandpass" => FilterBand.BandPass,
            _ => FilterBand.BandStop,
        };
        int order = c.GetProperty("order").GetInt32();
        double fs = c.GetProperty("fs").GetDouble();
        return cutoff.Length == 1 ? Butterworth.Design(order, band, cutoff[0], fs) : Butterworth.Design(order, band, cutoff[0], cutoff[1], fs);
    }

    [Theory]
    [MemberData(nameof(FiltFiltCaseIndices))]
    public void FilterForwardBackward_Double_MatchesScipySosfiltfilt(int index)
    {
        JsonElement c = ScipyVectors.Cases("sosfiltfilt").ElementAt(index);
        SecondOrderSections sos = DesignFor(c);
        double[] x = ScipyVectors.Input(c, c.GetProperty("fs").GetDouble());
        var y = new double[x.Length];
        if (c.GetProperty("error").GetBoolean())
        {
            int padlen = c.GetProperty("padlen").GetInt32();
            sos.DefaultPadLength.Should().Be(padlen);
            Action act = () => sos.FilterForwardBackward(x, y);
            act.Should().Throw<ArgumentException>().WithParameterName("x")
                .Where(e => e.Message.Contains($"pad length {padlen}", StringComparison.Ordinal) && e.Message.Contains($"(got {x.Length})", StringComparison.Ordinal));
            return;
        }

        sos.FilterForwardBackward(x, y);
        ScipyVectors.AssertMatches(c.GetProperty("filtfilt"), y, 1e-6, $"sosfiltfilt case {index}");

        var forward = new double[x.Length];
        sos.Filter(x, forward);
        ScipyVectors.AssertMatches(c.GetProperty("forward"), forward, 1e-6, $"sosfilt case {index}");
    }

    [Theory]
    [MemberData(nameof(FiltFiltCaseIndices))]
    public void FilterForwardBackward_Float_MatchesScipyRelativeToRange(int index)
    {
        JsonElement c = ScipyVectors.Cases("sosfiltfilt").ElementAt(index);
        if (c.GetProperty("error").GetBoolean())
        {
            return;
        }

        SecondOrderSections sos = DesignFor(c);
        double[] x = ScipyVectors.Input(c, c.GetProperty("fs").GetDouble());
        float[] xf = x.Select(v => (float)v).ToArray();
        float[] yf = sos.FilterForwardBackward(xf);
        var reference = new double[x.Length];
        sos.FilterForwardBackward(x, reference);
        double range = reference.Max() - reference.Min();
        double[] y = yf.Select(v => (double)v).ToArray();
        ScipyVectors.AssertMatches(c.GetProperty("filtfilt"), y, 1e-4 * range, $"float sosfiltfilt case {index}");
    }

    [Fact]
    public void Filter_InPlaceAndStateSplit_EqualsOneShot()
    {
        SecondOrderSections sos = Butterworth.BandPass(3, 0.5, 40, 500);
        double[] x = ScipyVectors.Noise(5, 700);
        var whole = new double[700];
        sos.Filter(x, whole);

        var state = new double[sos.SectionCount * 2];
        var split = (double[])x.Clone();
        sos.Filter(split.AsSpan(0, 300), split.AsSpan(0, 300), default, state);
        var state2 = new double[state.Length];
        sos.Filter(split.AsSpan(300), split.AsSpan(300), state, state2);

        split.Should().Equal(whole);
    }

    [Fact]
    public void GetInitialState_StepInput_HasNoTransient()
    {
        SecondOrderSections sos = Butterworth.LowPass(4, 10, 100);
        double[] zi = sos.GetInitialState();
        double[] step = Enumerable.Repeat(2.5, 50).ToArray();
        for (int i = 0; i < zi.Length; i++)
        {
            zi[i] *= 2.5;
        }

        var y = new double[50];
        sos.Filter(step, y, zi);
        y.Should().OnlyContain(v => Math.Abs(v - 2.5) < 1e-12);
    }

    [Fact]
    public void FilterForwardBackward_PadLengthZero_AcceptsShortSignal()
    {
        SecondOrderSections sos = Butterworth.LowPass(2, 10, 100);
        float[] x = [1, 2, 3];
        var y = new float[3];
        sos.FilterForwardBackward(x, y, padLength: 0);
        y.Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void FromArray_RoundTripsCoefficients()
    {
        double[,] raw = { { 1, 2, 1, 1, -0.5, 0.25 }, { 1, 0, 0, 1, 0.1, 0 } };
        SecondOrderSections sos = SecondOrderSections.FromArray(raw);
        sos.SectionCount.Should().Be(2);
        sos.ToArray().Should().BeEquivalentTo(raw);
        sos.DefaultPadLength.Should().Be(3 * (5 - 1));
    }

    public static TheoryData<Action, string, string> InvalidCalls() => new()
    {
        { () => _ = new SecondOrderSections(new double[5]), "coefficients", "positive multiple of 6 (got 5)" },
        { () => _ = new SecondOrderSections(new double[] { 1, 0, 0, 2, 0, 0 }), "coefficients", "section 0 has a0 = 2" },
        { () => _ = new SecondOrderSections(new double[] { 1, double.NaN, 0, 1, 0, 0 }), "coefficients", "coefficient 1 is NaN" },
        { () => _ = SecondOrderSections.FromArray(new double[2, 5]), "sos", "shape [sections, 6] (got [2, 5])" },
        { () => Butterworth.LowPass(2, 10, 100).FilterForwardBackward(new float[9], new float[9]), "x", "x must be longer than the pad length 9 (3 × filter taps, SciPy's sosfiltfilt default), so at least 10 samples (got 9)." },
        { () => Butterworth.LowPass(2, 10, 100).FilterForwardBackward(new float[20], new float[19]), "destination", "(got 19)" },
        { () => Butterworth.LowPass(2, 10, 100).FilterForwardBackward(new float[20], new float[20], -1), "padLength", "padLength must be 0 or more (got -1)." },
        { () => Butterworth.LowPass(2, 10, 100).Filter(new double[20], new double[20], new double[3]), "initialState", "SectionCount × 2 = 2 values (got 3)" },
        { () => Butterworth.LowPass(2, 10, 100).Filter(new float[20], new float[2]), "destination", "(got 2)" },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public void Methods_InvalidArguments_ThrowWithNamedParameter(Action act, string parameter, string message)
    {
        act.Should().Throw<ArgumentException>().WithParameterName(parameter).Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }
}

public class SecondOrderSectionsPropertyTests
{
    [Fact]
    public void FilterForwardBackward_IsLinear()
    {
        SecondOrderSections sos = Butterworth.BandPass(2, 0.5, 40, 250);
        Gen.Select(Gen.Double[-5, 5].Array[40, 300], Gen.Double[-3, 3], Gen.Int[0, 1000])
            .Sample((x, a, seed) =>
            {
                double[] y = ScipyVectors.Noise((ulong)seed, x.Length);
                double[] combined = x.Zip(y, (u, v) => (a * u) + v).ToArray();
                var fx = new double[x.Length];
                var fy = new double[x.Length];
                var fc = new double[x.Length];
                sos.FilterForwardBackward(x, fx);
                sos.FilterForwardBackward(y, fy);
                sos.FilterForwardBackward(combined, fc);
                for (int i = 0; i < x.Length; i++)
                {
                    if (Math.Abs(fc[i] - ((a * fx[i]) + fy[i])) > 1e-9)
                    {
                        return false;
                    }
                }

                return true;
            }, iter: 200);
    }
}
