using EcgVision.Signals;
using EcgVision.Signals.PtbXl;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.PtbXl;

public class PtbXlDatasetTests
{
    internal const string Statements = """
        ,description,diagnostic,form,rhythm,diagnostic_class,diagnostic_subclass,Statement Category
        NORM,normal ECG,1.0,,,NORM,NORM,Normal/abnormal
        IMI,inferior myocardial infarction,1.0,,,MI,IMI,Myocardial Infarction
        LVH,left ventricular hypertrophy,1.0,,,HYP,LVH,Hypertrophic
        SR,sinus rhythm,,,1.0,,,Rhythm
        LVOLT,low QRS voltages,,1.0,,,,Other
        """;

    internal const string DatabaseHeader = "ecg_id,patient_id,age,sex,recording_date,report,scp_codes,strat_fold,filename_lr,filename_hr";

    private static string Root(TempDirectory dir, string database, bool withRecords = true)
    {
        dir.WriteText("scp_statements.csv", Statements);
        dir.WriteText("ptbxl_database.csv", database);
        if (withRecords)
        {
            foreach (int id in new[] { 1, 2, 3 })
            {
                var r = EcgRecord.FromLeads(Enumerable.Range(0, 12).Select(l => new float[] { l, id, -l }).ToArray(), 100);
                EcgVision.Signals.Wfdb.WfdbWriter.Write(r, dir.Combine("records100", "00000"), $"{id:00000}_lr");
            }
        }

        return dir.Path;
    }

    private static string Rows(params string[] rows) => string.Join("\n", rows.Prepend(DatabaseHeader)) + "\n";

    private const string Row1 = "1,15709.0,56.0,1,1984-11-09 09:17:34,sinusrhythmus,\"{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}\",3,records100/00000/00001_lr,records500/00000/00001_hr";
    private const string Row2 = "2,13243.0,19.0,0,1984-11-14 12:55:37,inferior mi,\"{'IMI': 50.0, 'LVH': 15.0, 'NORM': 0.0}\",9,records100/00000/00002_lr,";
    private const string Row3 = "3,20372.0,,,,x,{},10,records100/00000/00003_lr,";

    [Fact]
    public void Open_ParsesRowsCodesAndClasses()
    {
        using var dir = new TempDirectory();
        var ds = PtbXlDataset.Open(Root(dir, Rows(Row1, Row2, Row3)));

        ds.Entries.Should().HaveCount(3);
        var e = ds.Entries[0];
        e.EcgId.Should().Be(1);
        e.PatientId.Should().Be("15709");
        e.Age.Should().Be(56);
        e.Sex.Should().Be(Sex.Female);
        e.Report.Should().Be("sinusrhythmus");
        e.ScpCodes.Should().Equal(new Dictionary<string, double> { ["NORM"] = 100, ["LVOLT"] = 0, ["SR"] = 0 });
        e.Superclasses.Should().Equal("NORM");
        e.RecordingDate.Should().Be(new DateTime(1984, 11, 9, 9, 17, 34));
        e.StratFold.Should().Be(3);
        ds.Entries[1].Superclasses.Should().Equal("MI", "HYP", "NORM");
        ds.Entries[1].Subclasses.Should().Equal("IMI", "LVH", "NORM");
        ds.Entries[1].Sex.Should().Be(Sex.Male);
        ds.Entries[2].Age.Should().BeNull();
        ds.Entries[2].ScpCodes.Should().BeEmpty();
        ds.Statements["imi"].DiagnosticClass.Should().Be("MI");
        ds.Statements["SR"].Rhythm.Should().BeTrue();
        ds.Statements["SR"].Diagnostic.Should().BeFalse();
    }

    [Fact]
    public void Split_UsesFolds1To8_9_10()
    {
        using var dir = new TempDirectory();
        var ds = PtbXlDataset.Open(Root(dir, Rows(Row1, Row2, Row3)));

        ds.Split(PtbXlSplit.Train).Select(e => e.EcgId).Should().Equal(1);
        ds.Split(PtbXlSplit.Validation).Select(e => e.EcgId).Should().Equal(2);
        ds.Split(PtbXlSplit.Test).Select(e => e.EcgId).Should().Equal(3);
    }

    [Fact]
    public void LoadRecord_CarriesMetadataInStandardLeadOrder()
    {
        using var dir = new TempDirectory();
        var ds = PtbXlDataset.Open(Root(dir, Rows(Row1, Row2, Row3)));

        var record = ds.Entries[1].LoadRecord();

        record.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        record.GetLead("aVR")[0].Should().Be(3f);
        record.Metadata.Id.Should().Be("2");
        record.Metadata.PatientId.Should().Be("13243");
        record.Metadata.Report.Should().Be("inferior mi");
        record.Metadata.Codes.Should().ContainKey("IMI");
        record.Metadata.Superclasses.Should().Equal("MI", "HYP", "NORM");
        record.Metadata.Subclasses.Should().Contain("IMI");
        record.Metadata.Properties["strat_fold"].Should().Be("9");
        record.Metadata.Source.Should().EndWith("00002_lr.hea");
    }

    [Fact]
    public void Open_EmptyCsv_ThrowsNamingFileAndHeader()
    {
        using var dir = new TempDirectory();
        string root = Root(dir, "");

        var act = () => PtbXlDataset.Open(root);

        act.Should().Throw<EcgFormatException>().WithMessage("*ptbxl_database.csv: header: the file is empty*ecg_id*")
            .Which.Field.Should().Be("header");
    }

    [Theory]
    [InlineData("{'NORM': 100.0, 'SR': }")]
    [InlineData("{'NORM' 100.0}")]
    [InlineData("['NORM']")]
    [InlineData("{'NORM': 100.0, 'NORM': 0.0}")]
    [InlineData("{'NORM': 100.0} trailing")]
    public void Open_MalformedScpCodes_ThrowsNamingFileRowIdAndField(string codes)
    {
        using var dir = new TempDirectory();
        string root = Root(dir, Rows(Row1, $"2,1,1,0,,r,\"{codes}\",1,records100/00000/00002_lr,"));

        var act = () => PtbXlDataset.Open(root);

        act.Should().Throw<EcgFormatException>().WithMessage("*ptbxl_database.csv: scp_codes: row 3 (ecg_id 2) must be a Python dict*")
            .Which.Field.Should().Be("scp_codes");
    }

    [Fact]
    public void Open_RecordInCsvButAbsent_ThrowsOrSkips()
    {
        using var dir = new TempDirectory();
        string root = Root(dir, Rows(Row1, "7,1,1,0,,r,{},1,records100/00000/00007_lr,"));

        var act = () => PtbXlDataset.Open(root);

        act.Should().Throw<EcgFormatException>().WithMessage("*ptbxl_database.csv: filename_lr: row 3 (ecg_id 7) names record 'records100/00000/00007_lr'*00007_lr.hea' does not exist*Skip*");
        PtbXlDataset.Open(root, new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Skip }).Entries.Select(e => e.EcgId).Should().Equal(1);
        var included = PtbXlDataset.Open(root, new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Include });
        included.Entries.Should().HaveCount(2);
        included.Entries[1].RecordExists.Should().BeFalse();
    }

    [Theory]
    [InlineData("sex", "1,15709.0,56.0,2,,r,{},3,records100/00000/00001_lr,", "must be 0 (male) or 1 (female)")]
    [InlineData("strat_fold", "1,15709.0,56.0,1,,r,{},11,records100/00000/00001_lr,", "from 1 to 10")]
    [InlineData("age", "1,15709.0,old,1,,r,{},1,records100/00000/00001_lr,", "must be a number")]
    [InlineData("ecg_id", "x,15709.0,1,1,,r,{},1,records100/00000/00001_lr,", "positive integer")]
    public void Open_BadField_ThrowsNamingField(string field, string row, string rule)
    {
        using var dir = new TempDirectory();
        string root = Root(dir, Rows(row));

        var act = () => PtbXlDataset.Open(root);

        act.Should().Throw<EcgFormatException>().WithMessage($"*ptbxl_database.csv: {field}: row 2*{rule}*").Which.Field.Should().Be(field);
    }

    // Fuzzing regression (docs/fuzzing.md, target ptbxl): a NUL in a record name escaped as ArgumentException from Path.GetFullPath.
    [Theory]
    [InlineData("filename_lr", "1,1,1,1,,r,{},1,records100/00000/0\u00001_lr,", MissingRecordPolicy.Throw)]
    [InlineData("filename_lr", "1,1,1,1,,r,{},1,records100/00000/0\u00001_lr,", MissingRecordPolicy.Include)]
    [InlineData("filename_hr", "1,1,1,1,,r,{},1,records100/00000/00001_lr,rec\u0000ords500", MissingRecordPolicy.Include)]
    public void Open_NulInRecordName_ThrowsEcgFormatExceptionNamingField(string field, string row, MissingRecordPolicy policy)
    {
        using var dir = new TempDirectory();
        string root = Root(dir, Rows(row));

        var act = () => PtbXlDataset.Open(root, new PtbXlOptions { MissingRecordPolicy = policy }).Entries.Select(e => e.ToMetadata()).ToList();

        act.Should().Throw<EcgFormatException>().WithMessage($"*ptbxl_database.csv: {field}: row 2 (ecg_id 1) must be a record path*U+0000*").Which.Field.Should().Be(field);
    }

    [Fact]
    public void Open_InvalidSamplingRate_Throws()
    {
        var act = () => PtbXlDataset.Open("/tmp", new PtbXlOptions { SamplingRate = 250 });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*SamplingRate must be 100 or 500 (got 250)*");
    }

    [SharedDataFact("data/ptb-xl/ptbxl_database.csv")]
    public void Open_SharedSubset_ParsesCodesSuperclassesAndSplits()
    {
        string root = SharedData.Get("data/ptb-xl");
        var act = () => PtbXlDataset.Open(root);
        act.Should().Throw<EcgFormatException>("some rows have no 100 Hz record in the subset").WithMessage("*filename_lr*");

        var all = PtbXlDataset.Open(root, new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Include });
        var lr = PtbXlDataset.Open(root, new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Skip });
        var hr = PtbXlDataset.Open(root, new PtbXlOptions { SamplingRate = 500, MissingRecordPolicy = MissingRecordPolicy.Skip });

        all.Entries.Should().HaveCount(44);
        all.Statements.Should().HaveCount(71);
        lr.Entries.Should().NotBeEmpty().And.OnlyContain(e => e.RecordExists);
        hr.Entries.Should().NotBeEmpty();
        var first = all.Entries[0];
        first.EcgId.Should().Be(1);
        first.Report.Should().Be("sinusrhythmus periphere niederspannung");
        first.ScpCodes.Keys.Should().Equal("NORM", "LVOLT", "SR");
        first.Superclasses.Should().Equal("NORM");
        all.Entries.Should().OnlyContain(e => e.StratFold >= 1 && e.StratFold <= 8, "the shared subset holds folds 1-8 only");
        all.Split(PtbXlSplit.Train).Should().HaveCount(44);
        all.Split(PtbXlSplit.Validation).Should().BeEmpty();
        all.Entries.SelectMany(e => e.Superclasses).Distinct().Should().BeSubsetOf(["NORM", "MI", "STTC", "CD", "HYP"]);
        all.Entries.Count(e => e.Superclasses.Contains("MI")).Should().BeGreaterThan(0);

        foreach (var e in lr.Entries)
        {
            var r = e.LoadRecord();
            r.LeadNames.Should().Equal(StandardLeads.TwelveLead);
            r.SamplingRate.Should().Be(100);
            r.Metadata.Report.Should().Be(e.Report);
        }
    }

    [SharedDataFact("data/ptb-xl/ptbxl_database.csv")]
    public void TryFindEntryForRecord_InsideSharedTree_FindsRow()
    {
        string hea = SharedData.Get("data/ptb-xl/records100/00000/00001_lr.hea");

        var entry = PtbXlDataset.TryFindEntryForRecord(hea);

        entry.Should().NotBeNull();
        entry!.EcgId.Should().Be(1);
        PtbXlDataset.TryFindEntryForRecord(SharedData.Get("data/ptb-xl/records500/00000/00666_hr.hea")).Should().BeNull("ecg_id 666 has no row in the subset");
        PtbXlDataset.TryFindEntryForRecord(SharedData.Get("data/cinc2021-sample/E07500.hea")).Should().BeNull();
    }
}
