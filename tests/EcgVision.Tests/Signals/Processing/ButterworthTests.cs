using EcgVision.Signals.Processing;

namespace EcgVision.Tests.Signals.Processing;

public class ButterworthTests
{
    public static TheoryData<int> ButterCaseIndices() => new(Enumerable.Range(0, ScipyVectors.Cases("butter").Count()));

    [Theory]
    [MemberData(nameof(ButterCaseIndices))]
    public void Design_MatchesScipyButterSos(int index)
    {
        var c = ScipyVectors.Cases("butter").ElementAt(index);
        int order = c.GetProperty("order").GetInt32();
        double fs = c.GetProperty("fs").GetDouble();
        double[] cutoff = ScipyVectors.Doubles(c.GetProperty("cutoff"));
        FilterBand band = c.GetProperty("band").GetString() switch
        {
            "lowpass" => FilterBand.LowPass,
            "highpass" => FilterBand.HighPass,
            "bandpass" => FilterBand.BandPass,
            _ => FilterBand.BandStop,
        };
        SecondOrderSections sos = cutoff.Length == 1
            ? Butterworth.Design(order, band, cutoff[0], fs)
            : Butterworth.Design(order, band, cutoff[0], cutoff[1], fs);
        double[][] expected = c.GetProperty("sos").EnumerateArray().Select(ScipyVectors.Doubles).ToArray();

        sos.SectionCount.Should().Be(expected.Length);
        for (int s = 0; s < expected.Length; s++)
        {
            for (int j = 0; j < 6; j++)
            {
                sos[s, j].Should().BeApproximately(expected[s][j], 1e-10, $"{band} order {order} {string.Join("-", cutoff)} Hz at {fs} Hz, section {s} coefficient {j}");
            }
        }
    }

    [Fact]
    public void Design_LowPass_HasUnitGainAtDc()
    {
        SecondOrderSections sos = Butterworth.LowPass(4, 15, 100);
        double gain = 1;
        for (int s = 0; s < sos.SectionCount; s++)
        {
            gain *= (sos[s, 0] + sos[s, 1] + sos[s, 2]) / (sos[s, 3] + sos[s, 4] + sos[s, 5]);
        }

        gain.Should().BeApproximately(1, 1e-12);
    }

    public static TheoryData<Action, string, string> InvalidDesigns() => new()
    {
        { () => Butterworth.Design(0, FilterBand.LowPass, 10, 100), "order", "order must be between 1 and 32 (got 0)." },
        { () => Butterworth.Design(33, FilterBand.LowPass, 10, 100), "order", "order must be between 1 and 32 (got 33)." },
        { () => Butterworth.Design(2, FilterBand.LowPass, 60, 100), "cutoffHz", "cutoffHz must be between 0 and the Nyquist frequency 50 Hz, exclusive (got 60)." },
        { () => Butterworth.Design(2, FilterBand.HighPass, 0, 100), "cutoffHz", "cutoffHz must be between 0 and the Nyquist frequency 50 Hz, exclusive (got 0)." },
        { () => Butterworth.Design(2, FilterBand.HighPass, double.NaN, 100), "cutoffHz", "(got NaN)." },
        { () => Butterworth.Design(2, FilterBand.LowPass, 10, 0), "samplingRate", "samplingRate must be finite and greater than 0 (got 0)." },
        { () => Butterworth.Design(2, FilterBand.LowPass, 10, double.PositiveInfinity), "samplingRate", "samplingRate must be finite and greater than 0" },
        { () => Butterworth.Design(2, FilterBand.BandPass, 40, 5, 100), "highHz", "highHz must be greater than lowHz (40) (got 5)." },
        { () => Butterworth.Design(2, FilterBand.BandStop, 48, 52, 100), "highHz", "highHz must be between 0 and the Nyquist frequency 50 Hz, exclusive (got 52)." },
        { () => Butterworth.Design(2, FilterBand.BandPass, -1, 5, 100), "lowHz", "lowHz must be between 0 and the Nyquist frequency 50 Hz, exclusive (got -1)." },
        { () => Butterworth.Design(2, FilterBand.BandPass, 10, 100), "band", "band BandPass needs two cutoffs" },
        { () => Butterworth.Design(2, FilterBand.LowPass, 1, 10, 100), "band", "band LowPass takes one cutoff" },
    };

    [Theory]
    [MemberData(nameof(InvalidDesigns))]
    public void Design_InvalidArguments_ThrowWithNamedParameter(Action act, string parameter, string message)
    {
        act.Should().Throw<ArgumentException>().WithParameterName(parameter).Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Design_UndefinedBand_ThrowsNotSupported()
    {
        Action act = () => Butterworth.Design(2, (FilterBand)42, 10, 100);
        act.Should().Throw<NotSupportedException>().WithMessage("*42*");
    }
}
