using EcgVision.Signals;

namespace EcgVision.Tests.Signals;

public class EcgRecordTests
{
    private static EcgRecord TwelveLead(int n = 10)
    {
        var leads = Enumerable.Range(0, 12).Select(l => Enumerable.Range(0, n).Select(i => l * 100f + i).ToArray()).ToArray();
        return EcgRecord.FromLeads(leads, 100);
    }

    [Fact]
    public void GetLead_ByNameIsCaseInsensitive()
    {
        var r = TwelveLead();
        r.GetLead("AVR")[0].Should().Be(300f);
        r.GetLead("avl")[0].Should().Be(400f);
        r.GetLead("v6")[0].Should().Be(1100f);
        r.LeadNames.Should().Equal(StandardLeads.TwelveLead);
    }

    [Fact]
    public void GetLead_UnknownName_ThrowsListingLeads()
    {
        var act = () => TwelveLead().GetLead("V7").ToArray();
        act.Should().Throw<KeyNotFoundException>().WithMessage("*V7*aVR*");
    }

    [Fact]
    public void Slice_And_SelectLeads_CopyTheRightSamples()
    {
        var r = TwelveLead(10);
        var s = r.Slice(2, 3);
        s.SampleCount.Should().Be(3);
        s.GetLead("II").ToArray().Should().Equal(102f, 103f, 104f);
        var sel = r.SelectLeads("V1", "I");
        sel.LeadNames.Should().Equal("V1", "I");
        sel.ToArray().Take(2).Should().Equal(600f, 601f);
        r.Duration.Should().Be(TimeSpan.FromSeconds(0.1));
    }

    [Fact]
    public void Constructor_RejectsDuplicateNamesAndBadRate()
    {
        var dup = () => new EcgRecord(new float[4], 100, ["I", "i"]);
        dup.Should().Throw<ArgumentException>().WithMessage("*distinct*");
        var rate = () => new EcgRecord(new float[4], 0, ["I", "II"]);
        rate.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("samplingRate");
        var shape = () => new EcgRecord(new float[5], 100, ["I", "II"]);
        shape.Should().Throw<ArgumentException>().WithMessage("*multiple*");
    }
}

public class EcgMetadataTests
{
    [Fact]
    public void Empty_HasEmptyCollections()
    {
        EcgMetadata.Empty.Codes.Should().NotBeNull().And.BeEmpty();
        EcgMetadata.Empty.Properties.Should().NotBeNull().And.BeEmpty();
        EcgMetadata.Empty.Comments.Should().BeEmpty();
    }
}
