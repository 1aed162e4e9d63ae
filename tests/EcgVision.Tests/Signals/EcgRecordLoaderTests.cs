using EcgVision.Signals;
using EcgVision.Signals.Wfdb;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals;

public class EcgRecordLoaderTests
{
    [SharedDataFact("data/ptb-xl/ptbxl_database.csv")]
    public void Load_RecordInsidePtbXlTree_AttachesReportCodesAndClasses()
    {
        string path = SharedData.Get("data/ptb-xl/records100/00000/00001_lr.hea")[..^4];

        var record = EcgRecordLoader.Load(path);

        record.LeadCount.Should().Be(12);
        record.SamplingRate.Should().Be(100);
        record.SampleCount.Should().Be(1000);
        record.Metadata.Report.Should().Be("sinusrhythmus periphere niederspannung");
        record.Metadata.Codes.Keys.Should().Equal("NORM", "LVOLT", "SR");
        record.Metadata.Superclasses.Should().Equal("NORM");
        record.Metadata.Properties["strat_fold"].Should().Be("3");
        EcgRecordLoader.Load(path, new EcgRecordLoaderOptions { AttachDatasetMetadata = false }).Metadata.Report.Should().BeNull();
    }

    [Fact]
    public void Load_WfdbViaHeaderDatOrBarePath_GivesSameRecord()
    {
        using var dir = new TempDirectory();
        WfdbWriter.Write(new EcgRecord(new float[] { 0.5f, -0.5f, 1f }, 250, ["II"]), dir.Path, "rec");

        var a = EcgRecordLoader.Load(dir.Combine("rec"));
        var b = EcgRecordLoader.Load(dir.Combine("rec.hea"));
        var c = EcgRecordLoader.Load(dir.Combine("rec.dat"));

        a.Samples.ToArray().Should().Equal(0.5f, -0.5f, 1f);
        b.Samples.ToArray().Should().Equal(a.Samples.ToArray());
        c.Samples.ToArray().Should().Equal(a.Samples.ToArray());
    }

    [Fact]
    public void Load_UnsupportedFile_ThrowsNotSupportedListingFormats()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("ecg.xyz", "hello");

        var act = () => EcgRecordLoader.Load(path);

        act.Should().Throw<NotSupportedException>().WithMessage("*ecg.xyz*not in a supported ECG format*WFDB*");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        using var dir = new TempDirectory();

        var act = () => EcgRecordLoader.Load(dir.Combine("none.xyz"));

        act.Should().Throw<FileNotFoundException>().WithMessage("*none.xyz*does not exist*");
    }
}
