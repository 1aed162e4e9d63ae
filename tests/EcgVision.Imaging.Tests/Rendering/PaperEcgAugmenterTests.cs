using EcgVision.Imaging.Rendering;

namespace EcgVision.Imaging.Tests.Rendering;

public class PaperEcgAugmenterTests
{
    private static readonly PaperEcgImage Clean = new PaperEcgRenderer(new() { Dpi = 75 }).Render(TestEcg.Sinus(rate: 250));

    private static readonly PaperEcgAugmentationOptions Off = new()
    {
        RotationProbability = 0, PerspectiveProbability = 0, CreaseProbability = 0, LightingProbability = 0,
        BlurProbability = 0, NoiseProbability = 0, JpegProbability = 0,
    };

    public static TheoryData<string> Effects => new() { "rotation", "perspective", "crease", "lighting", "blur", "noise", "jpeg" };

    [Theory]
    [MemberData(nameof(Effects))]
    public void Augment_EachEffect_ChangesPixelsAndKeepsSize(string effect)
    {
        var options = effect switch
        {
            "rotation" => Off with { RotationProbability = 1 },
            "perspective" => Off with { PerspectiveProbability = 1 },
            "crease" => Off with { CreaseProbability = 1 },
            "lighting" => Off with { LightingProbability = 1 },
            "blur" => Off with { BlurProbability = 1, MaxBlurSigma = 2 },
            "noise" => Off with { NoiseProbability = 1 },
            _ => Off with { JpegProbability = 1 },
        };

        var augmented = new PaperEcgAugmenter(options).Augment(Clean, seed: 1);

        (augmented.Width, augmented.Height).Should().Be((Clean.Width, Clean.Height));
        augmented.Pixels.SequenceEqual(Clean.Pixels).Should().BeFalse($"{effect} must change the pixels");
        augmented.LeadBoxes.Should().HaveCount(Clean.LeadBoxes.Count);
    }

    [Fact]
    public void Augment_AllOff_ReturnsSamePixels()
    {
        var augmented = new PaperEcgAugmenter(Off).Augment(Clean, seed: 5);

        augmented.Pixels.SequenceEqual(Clean.Pixels).Should().BeTrue();
        augmented.LeadBoxes.Should().Equal(Clean.LeadBoxes);
    }

    [Fact]
    public void Augment_SameSeed_SameBytes_DifferentSeed_DifferentBytes()
    {
        var augmenter = new PaperEcgAugmenter(PaperEcgAugmentationOptions.Strong);

        var a = augmenter.Augment(Clean, 11);
        var b = augmenter.Augment(Clean, 11);
        var c = augmenter.Augment(Clean, 12);

        a.Pixels.SequenceEqual(b.Pixels).Should().BeTrue();
        a.Pixels.SequenceEqual(c.Pixels).Should().BeFalse();
        a.LeadBoxes.Should().Equal(b.LeadBoxes);
    }

    [Fact]
    public void Augment_DoesNotModifyInput()
    {
        byte[] before = Clean.Pixels.ToArray();

        _ = new PaperEcgAugmenter(PaperEcgAugmentationOptions.Strong).Augment(Clean, 3);

        Clean.Pixels.SequenceEqual(before).Should().BeTrue();
    }

    [Fact]
    public void Augment_Rotation_MovesBoxesAndKeepsThemInside()
    {
        var augmented = new PaperEcgAugmenter(Off with { RotationProbability = 1, MaxRotationDegrees = 5 }).Augment(Clean, seed: 2);

        augmented.LeadBoxes.Should().NotEqual(Clean.LeadBoxes);
        augmented.LeadBoxes.Should().OnlyContain(b => b.X >= 0 && b.Y >= 0 && b.X + b.Width <= Clean.Width && b.Y + b.Height <= Clean.Height);

        // A rotated box is the hull of the rotated rectangle: never smaller in area than the original (unless clipped).
        for (int i = 0; i < Clean.LeadBoxes.Count; i++)
        {
            var before = Clean.LeadBoxes[i];
            var after = augmented.LeadBoxes[i];
            after.Lead.Should().Be(before.Lead);
            ((long)after.Width * after.Height).Should().BeGreaterThanOrEqualTo((long)before.Width * before.Height / 2);
        }
    }

    [Fact]
    public void SolveHomography_IdentityCorners_GivesIdentity()
    {
        double[] corners = [0, 0, 100, 0, 100, 50, 0, 50];

        double[] h = PaperEcgAugmenter.SolveHomography(corners, corners);

        h.Should().Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void RenderOption_Augmentation_IsAppliedWithTheSeed()
    {
        var renderer = new PaperEcgRenderer(new() { Dpi = 75, Augmentation = PaperEcgAugmentationOptions.Strong });

        var viaRenderer = renderer.Render(TestEcg.Sinus(rate: 250), seed: 8);
        var direct = new PaperEcgAugmenter(PaperEcgAugmentationOptions.Strong).Augment(Clean, 8);

        viaRenderer.Pixels.SequenceEqual(direct.Pixels).Should().BeTrue();
    }

    public static TheoryData<PaperEcgAugmentationOptions> InvalidOptions => new()
    {
        new PaperEcgAugmentationOptions { RotationProbability = 1.5 },
        new PaperEcgAugmentationOptions { NoiseProbability = -0.1 },
        new PaperEcgAugmentationOptions { MaxRotationDegrees = 90 },
        new PaperEcgAugmentationOptions { MaxBlurSigma = double.NaN },
        new PaperEcgAugmentationOptions { MinJpegQuality = 0 },
        new PaperEcgAugmentationOptions { MinJpegQuality = 80, MaxJpegQuality = 70 },
        new PaperEcgAugmentationOptions { MaxCreases = 0 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_OutOfRangeOption_Throws(PaperEcgAugmentationOptions options)
    {
        var act = () => new PaperEcgAugmenter(options);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*must be between*");
    }
}
