using EcgVision.Signals;
using EcgVision.Testing;
using EcgVision.Torch.CaseRetrieval;

namespace EcgVision.Torch.Tests.CaseRetrieval;

public sealed class CaseRecordSplitTests
{
    [Fact]
    public void FromSynthetic_SplitsByStratFold()
    {
        var split = CaseRecordSplit.FromSynthetic(60, seed: 4);

        (split.Train.Count + split.Validation.Count + split.Test.Count).Should().Be(60);
        split.Validation.Should().OnlyContain(r => r.Metadata.Properties["strat_fold"] == "9");
        split.Test.Should().OnlyContain(r => r.Metadata.Properties["strat_fold"] == "10");
        split.Train.Should().OnlyContain(r => int.Parse(r.Metadata.Properties["strat_fold"], System.Globalization.CultureInfo.InvariantCulture) <= 8);
        split.Train.Should().OnlyContain(r => !string.IsNullOrWhiteSpace(r.Metadata.Report));
    }

    [Fact]
    public void ByStratFold_NonIntegerFold_ThrowsNamingTheRecord()
    {
        var record = CaseRecordSplit.FromSynthetic(1, seed: 4).Train.Concat(CaseRecordSplit.FromSynthetic(1, seed: 4).Validation).First();
        var bad = record.WithMetadata(record.Metadata with { Id = "r-7", Properties = new Dictionary<string, string> { ["strat_fold"] = "ten" } });

        var act = () => CaseRecordSplit.ByStratFold([bad]);

        act.Should().Throw<ArgumentException>().WithMessage("*r-7*ten*");
    }

    [Fact]
    public void FromPtbXl_MissingFolder_ThrowsDirectoryNotFound()
    {
        var act = () => CaseRecordSplit.FromPtbXl(Path.Combine(Path.GetTempPath(), "no-such-ptbxl-" + Guid.NewGuid().ToString("N")));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*no-such-ptbxl-*");
    }

    [SharedDataFact("data/ptb-xl")]
    public void FromPtbXl_SharedSubset_LoadsRecordsWithReportsAndTwelveLeads()
    {
        var split = CaseRecordSplit.FromPtbXl(SharedData.Get("data/ptb-xl"), maxPerSplit: 5);

        split.Train.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(5);
        split.Train.Should().OnlyContain(r => r.LeadCount == 12 && !string.IsNullOrWhiteSpace(r.Metadata.Report));
    }
}
