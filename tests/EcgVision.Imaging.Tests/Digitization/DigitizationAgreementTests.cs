using EcgVision.Imaging.Digitization;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals.Synthetic;

namespace EcgVision.Imaging.Tests.Digitization;

public class DigitizationAgreementTests
{
    [Fact]
    public void Compare_CleanRenderOfASyntheticEcg_GivesEveryLeadHighAgreement()
    {
        var record = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.SinusRhythm), 3).Record;
        var digitized = new PaperEcgDigitizer().Digitize(new PaperEcgRenderer(new PaperEcgRenderOptions { Dpi = 150 }).Render(record));

        var agreement = DigitizationAgreement.Compare(digitized, record);

        agreement.Select(a => a.Lead).Should().BeEquivalentTo(digitized.LeadWindows.Select(w => w.Lead));
        agreement.Should().HaveCount(12).And.OnlyContain(a => a.Correlation > 0.9 && a.SnrDecibels > 8);
    }

    [Fact]
    public void Compare_AgainstAnotherEcg_AgreesFarLess()
    {
        var record = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.SinusRhythm), 3).Record;
        var other = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.AtrialFibrillation), 4).Record;
        var digitized = new PaperEcgDigitizer().Digitize(new PaperEcgRenderer(new PaperEcgRenderOptions { Dpi = 150 }).Render(record));

        double same = DigitizationAgreement.Compare(digitized, record).Average(a => a.Correlation);
        double different = DigitizationAgreement.Compare(digitized, other).Average(a => a.Correlation);

        different.Should().BeLessThan(same - 0.5);
    }

    [Fact]
    public void Pearson_KnownSeries_GivesOneMinusOneAndNaN()
    {
        float[] x = [1, 2, 3, 5, 8];

        DigitizationAgreement.Pearson(x, x).Should().BeApproximately(1, 1e-12);
        DigitizationAgreement.Pearson(x, x.Select(v => -2 * v + 1).ToArray()).Should().BeApproximately(-1, 1e-12);
        DigitizationAgreement.Pearson(x, [4, 4, 4, 4, 4]).Should().Be(double.NaN);
    }

    [Fact]
    public void Pearson_LengthsDiffer_ThrowsNamingBoth()
    {
        var act = () => DigitizationAgreement.Pearson([1f, 2f, 3f], [1f, 2f]);

        act.Should().Throw<ArgumentException>().WithMessage("*3*2*");
    }
}
