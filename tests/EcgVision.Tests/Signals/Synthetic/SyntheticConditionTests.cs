using EcgVision.Signals.Synthetic;

namespace EcgVision.Tests.Signals.Synthetic;

public class SyntheticConditionTests
{
    [Fact]
    public void All_HasUniqueCodes_AndAtLeastTwelvePathologies()
    {
        SyntheticCondition.All.Select(c => c.Code).Should().OnlyHaveUniqueItems();
        SyntheticCondition.All.Count(c => c.Code is not ("NORM" or "SR")).Should().BeGreaterThanOrEqualTo(12);
    }

    [Fact]
    public void All_DiagnosticHaveSuperAndSubclass_OthersHaveNone()
    {
        foreach (var c in SyntheticCondition.All)
        {
            if (c.Kind == SyntheticConditionKind.Diagnostic)
            {
                c.Superclass.Should().BeOneOf(SyntheticCondition.Superclasses);
                c.Subclass.Should().NotBeNullOrEmpty();
            }
            else
            {
                c.Superclass.Should().BeNull();
                c.Subclass.Should().BeNull();
            }
        }
    }

    [Theory]
    [InlineData("IMI", "MI", "IMI")]
    [InlineData("ASMI", "MI", "AMI")]
    [InlineData("CLBBB", "CD", "CLBBB")]
    [InlineData("CRBBB", "CD", "CRBBB")]
    [InlineData("1AVB", "CD", "_AVB")]
    [InlineData("LVH", "HYP", "LVH")]
    [InlineData("NST_", "STTC", "NST_")]
    [InlineData("NORM", "NORM", "NORM")]
    public void FromCode_MapsToPtbXlClasses(string code, string superclass, string subclass)
    {
        var c = SyntheticCondition.FromCode(code.ToLowerInvariant());
        c.Superclass.Should().Be(superclass);
        c.Subclass.Should().Be(subclass);
    }

    [Theory]
    [InlineData("SR", SyntheticConditionKind.Rhythm)]
    [InlineData("AFIB", SyntheticConditionKind.Rhythm)]
    [InlineData("SBRAD", SyntheticConditionKind.Rhythm)]
    [InlineData("STACH", SyntheticConditionKind.Rhythm)]
    [InlineData("PVC", SyntheticConditionKind.Form)]
    [InlineData("LVOLT", SyntheticConditionKind.Form)]
    [InlineData("LAD", SyntheticConditionKind.Form)]
    public void FromCode_RhythmAndFormCodesAreNotDiagnostic(string code, SyntheticConditionKind kind) =>
        SyntheticCondition.FromCode(code).Kind.Should().Be(kind);

    [Fact]
    public void FromCode_Unknown_ThrowsListingCodes()
    {
        var act = () => SyntheticCondition.FromCode("XYZ");
        act.Should().Throw<ArgumentException>().WithParameterName("code").WithMessage("*AFIB*XYZ*");
        SyntheticCondition.TryFromCode(null, out _).Should().BeFalse();
    }
}
