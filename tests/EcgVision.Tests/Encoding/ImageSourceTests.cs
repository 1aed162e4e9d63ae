using EcgVision.Encoding;
using EcgVision.Signals.Synthetic;

namespace EcgVision.Tests.Encoding;

public class ImageSourceTests
{
    [Fact]
    public void QiuAndMultiLeadSources_ProduceTheirShapeDeterministically()
    {
        var record = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.SinusRhythm), seed: 4).Record;
        foreach (IEcgImageSource source in new IEcgImageSource[] { new QiuImageSource(64), new MultiLeadImageSource(48, 16) })
        {
            var (c, h, w) = source.Shape;
            var a = new float[c * h * w];
            var b = new float[c * h * w];

            source.Encode(record, a);
            source.Encode(record, b, augmentationSeed: 3);

            (c, h, w).Should().Be((3, source.Descriptor.Size, source.Descriptor.Size));
            a.Should().Equal(b, "neither source augments");
            a.Distinct().Count().Should().BeGreaterThan(50);
        }
    }
}
