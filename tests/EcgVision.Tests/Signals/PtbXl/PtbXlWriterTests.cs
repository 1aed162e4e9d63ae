using EcgVision.Signals;
using EcgVision.Signals.PtbXl;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.PtbXl;

public class PtbXlWriterTests
{
    private static readonly ScpStatement[] s_statements =
    [
        new() { Code = "NORM", Description = "normal ECG", Diagnostic = true, DiagnosticClass = "NORM", DiagnosticSubclass = "NORM" },
        new() { Code = "IMI", Description = "inferior MI", Diagnostic = true, DiagnosticClass = "MI", DiagnosticSubclass = "IMI" },
        new() { Code = "SR", Description = "sinus rhythm", Rhythm = true },
    ];

    private static EcgRecord Synthetic(int id, double rate, int fold, string report, Dictionary<string, double> codes)
    {
        var rng = new Random(id);
        int n = (int)rate;
        var leads = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, n).Select(_ => (float)Math.Round(rng.NextDouble() * 2 - 1, 3)).ToArray()).ToArray();
        return EcgRecord.FromLeads(leads, rate, metadata: new EcgMetadata
        {
            Id = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            PatientId = (1000 + id).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Age = 40 + id,
            Sex = id % 2 == 0 ? Sex.Male : Sex.Female,
            Report = report,
            Codes = codes,
            AcquisitionTime = new DateTimeOffset(2000, 1, 1 + (id % 28), 8, 30, 0, TimeSpan.Zero),
            Properties = new Dictionary<string, string> { ["strat_fold"] = fold.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
    }

    [Fact]
    public void Write_ThenOpen_RoundTripsRowsAndSignals()
    {
        using var dir = new TempDirectory();
        var records = new[]
        {
            Synthetic(1, 100, 3, "normal, \"quoted\" report", new() { ["NORM"] = 100, ["SR"] = 0 }),
            Synthetic(1, 500, 3, "normal, \"quoted\" report", new() { ["NORM"] = 100, ["SR"] = 0 }),
            Synthetic(1234, 100, 10, "inferior infarct\nsecond line", new() { ["IMI"] = 35.5 }),
        };

        int rows = PtbXlWriter.Write(dir.Path, records, s_statements);

        rows.Should().Be(2);
        File.Exists(dir.Combine("records100", "00000", "00001_lr.hea")).Should().BeTrue();
        File.Exists(dir.Combine("records500", "00000", "00001_hr.dat")).Should().BeTrue();
        File.Exists(dir.Combine("records100", "01000", "01234_lr.dat")).Should().BeTrue();
        var ds = PtbXlDataset.Open(dir.Path);
        ds.Entries.Select(e => e.EcgId).Should().Equal(1, 1234);
        var e1 = ds.Entries[0];
        e1.Report.Should().Be("normal, \"quoted\" report");
        e1.ScpCodes.Should().Equal(records[0].Metadata.Codes);
        e1.Superclasses.Should().Equal("NORM");
        e1.PatientId.Should().Be("1001");
        e1.Age.Should().Be(41);
        e1.Sex.Should().Be(Sex.Female);
        e1.StratFold.Should().Be(3);
        e1.RecordingDate.Should().Be(new DateTime(2000, 1, 2, 8, 30, 0));
        e1.FilenameLr.Should().Be("records100/00000/00001_lr");
        e1.FilenameHr.Should().Be("records500/00000/00001_hr");
        ds.Entries[1].Report.Should().Be("inferior infarct\nsecond line");
        ds.Entries[1].ScpCodes["IMI"].Should().Be(35.5);
        ds.Entries[1].Superclasses.Should().Equal("MI");
        ds.Split(PtbXlSplit.Test).Select(e => e.EcgId).Should().Equal(1234);
        e1.LoadRecord().Samples.ToArray().Should().Equal(records[0].Samples.ToArray());
        ds.Statements.Values.Should().BeEquivalentTo(s_statements);
        File.ReadAllText(dir.Combine("ptbxl_database.csv")).Should().Contain("\"{'NORM': 100.0, 'SR': 0.0}\"");
    }

    [Fact]
    public void Write_ExistingDataset_ThrowsUnlessOverwrite()
    {
        using var dir = new TempDirectory();
        var records = new[] { Synthetic(5, 100, 1, "r", new() { ["NORM"] = 100 }) };
        PtbXlWriter.Write(dir.Path, records, s_statements);

        var act = () => PtbXlWriter.Write(dir.Path, records, s_statements);

        act.Should().Throw<IOException>().WithMessage("*already exists*Overwrite*");
        PtbXlWriter.Write(dir.Path, records, s_statements, new PtbXlWriterOptions { Overwrite = true }).Should().Be(1);
    }

    [Fact]
    public void Write_UnsupportedRateOrMissingId_ThrowsBeforeWriting()
    {
        using var dir = new TempDirectory();
        var odd = Synthetic(5, 250, 1, "r", new() { ["NORM"] = 100 });
        var noId = Synthetic(6, 100, 1, "r", new()).WithMetadata(new EcgMetadata { Id = "E07500" });

        ((Action)(() => PtbXlWriter.Write(dir.Path, [odd], s_statements))).Should().Throw<ArgumentException>().WithMessage("*250 Hz*100 or 500 Hz*");
        ((Action)(() => PtbXlWriter.Write(dir.Path, [noId], s_statements))).Should().Throw<ArgumentException>().WithMessage("*ecg_id*E07500*");
        var badFold = Synthetic(7, 100, 1, "r", new()).WithMetadata(new EcgMetadata { Id = "7", Properties = new Dictionary<string, string> { ["strat_fold"] = "eleven" } });
        ((Action)(() => PtbXlWriter.Write(dir.Path, [badFold], s_statements))).Should().Throw<ArgumentException>().WithMessage("*strat_fold*1 to 10*eleven*");
        Directory.EnumerateFileSystemEntries(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Write_RecordReadFromWfdbWithUnknownAge_WritesEmptyAgeColumn()
    {
        using var dir = new TempDirectory();
        var src = Synthetic(8, 100, 2, "r", new() { ["NORM"] = 100 }).WithMetadata(new EcgMetadata
        {
            Id = "00008_lr",
            Properties = new Dictionary<string, string> { ["age"] = "Unknown", ["sex"] = "Male", ["height"] = "180" },
        });

        PtbXlWriter.Write(dir.Path, [src], s_statements);
        var entry = PtbXlDataset.Open(dir.Path).Entries.Single();

        entry.EcgId.Should().Be(8);
        entry.Age.Should().BeNull();
        entry.Columns["height"].Should().Be("180");
    }

    [SharedDataFact("data/ptb-xl/ptbxl_database.csv")]
    public void Write_SharedSubset_RoundTripsThroughOpen()
    {
        var source = PtbXlDataset.Open(SharedData.Get("data/ptb-xl"), new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Skip });
        using var dir = new TempDirectory();

        PtbXlWriter.Write(dir.Path, source.Entries.Select(e => e.LoadRecord()), source.Statements.Values);
        var copy = PtbXlDataset.Open(dir.Path);

        copy.Entries.Should().HaveCount(source.Entries.Count);
        copy.Statements.Values.Should().BeEquivalentTo(source.Statements.Values);
        foreach (var (a, b) in source.Entries.Zip(copy.Entries))
        {
            b.Should().BeEquivalentTo(a, o => o.Including(e => e.EcgId).Including(e => e.PatientId).Including(e => e.Age).Including(e => e.Sex)
                .Including(e => e.Report).Including(e => e.ScpCodes).Including(e => e.Superclasses).Including(e => e.Subclasses)
                .Including(e => e.StratFold).Including(e => e.FilenameLr).Including(e => e.RecordingDate)
                .WithStrictOrderingFor(e => e.Superclasses));
            foreach (string column in new[] { "height", "weight", "nurse", "site", "device", "heart_axis", "pacemaker", "validated_by_human" })
            {
                b.Columns[column].Should().Be(a.Columns[column], $"column {column} of ecg_id {a.EcgId}");
            }

            b.LoadRecord().Samples.ToArray().Should().Equal(a.LoadRecord().Samples.ToArray());
        }
    }
}
