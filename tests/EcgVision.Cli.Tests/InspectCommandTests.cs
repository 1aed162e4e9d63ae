using System.Text.Json;
using EcgVision.Testing;

namespace EcgVision.Cli.Tests;

[Collection("Console")]
public class InspectCommandTests
{
    [SharedDataFact("data/ptb-xl/records100/00000/00001_lr.hea")]
    public async Task Inspect_PtbXlRecordJson_ReportsLeadsRateReportAndCodes()
    {
        string record = Path.Combine(SharedData.Get("data/ptb-xl/records100/00000"), "00001_lr");

        var (code, stdout, stderr) = await CliRunner.RunAsync("inspect", record, "--json");

        code.Should().Be(0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        string text = doc.RootElement.ToString();
        text.Should().Contain("\"I\"").And.Contain("V6");
        stdout.Should().Contain("1000").And.Contain("100");
        text.Should().Contain("sinusrhythmus").And.Contain("NORM").And.Contain("LVOLT");
    }

    [Fact]
    public async Task Inspect_MissingRecord_PrintsOneErrorLineAndFails()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"ecgvision-missing-{Guid.NewGuid():N}");

        var (code, _, stderr) = await CliRunner.RunAsync("inspect", missing);

        code.Should().NotBe(0);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("ecgvision-missing-");
    }
}

[Collection("Console")]
public class SynthCommandTests
{
    [Fact]
    public async Task Synth_WritesAPtbXlStyleCorpusThatReadsBack_Deterministically()
    {
        string a = Path.Combine(Path.GetTempPath(), $"ecgv-synth-{Guid.NewGuid():N}");
        string b = a + "-b";
        try
        {
            var (code, _, err) = await CliRunner.RunAsync("synth", "--count", "12", "--seed", "3", "--out", a);
            code.Should().Be(0, err);
            (await CliRunner.RunAsync("synth", "--count", "12", "--seed", "3", "--out", b)).ExitCode.Should().Be(0);

            var dataset = EcgVision.Signals.PtbXl.PtbXlDataset.Open(a);
            dataset.Entries.Should().HaveCount(12);
            dataset.Entries.Should().OnlyContain(e => !string.IsNullOrWhiteSpace(e.Report) && e.ScpCodes.Count > 0);
            // Rhythm- and form-only records (e.g. AFIB + LAD) have no diagnostic superclass, as in PTB-XL.
            dataset.Entries.Count(e => e.Superclasses.Count > 0).Should().BeGreaterThan(6);
            var record = dataset.Entries[0].LoadRecord();
            record.LeadCount.Should().Be(12);
            record.SampleCount.Should().Be(1000);
            File.ReadAllBytes(Path.Combine(a, "ptbxl_database.csv")).Should().Equal(File.ReadAllBytes(Path.Combine(b, "ptbxl_database.csv")));
            File.ReadAllBytes(Path.Combine(a, "records100", "00000", "00001_lr.dat")).Should().Equal(File.ReadAllBytes(Path.Combine(b, "records100", "00000", "00001_lr.dat")));
        }
        finally
        {
            foreach (string d in new[] { a, b })
            {
                if (Directory.Exists(d))
                {
                    Directory.Delete(d, recursive: true);
                }
            }
        }
    }

    [Fact]
    public async Task Synth_BadRate_FailsWithOneLine()
    {
        var (code, _, err) = await CliRunner.RunAsync("synth", "--count", "2", "--rate", "250", "--out", Path.GetTempPath());

        code.Should().NotBe(0);
        err.Should().Contain("--rate must be 100 or 500 (got 250)");
    }
}

[Collection("Console")]
public class InspectClinicalFormatTests
{
    [SharedDataTheory("data/formats")]
    [InlineData("dicom-ecg/ecgtoolkit_example.dcm", "Dicom")]
    [InlineData("scp-ecg/ecgtoolkit_example.scp", "ScpEcg")]
    [InlineData("hl7-aecg/hl7_example_aecg.xml", "HL7Aecg")]
    [InlineData("ge-muse-xml/muse_ecg1.xml", "GeMuseXml")]
    [InlineData("philips-sierra-xml/129DYPRG.XML", "PhilipsSierraXml")]
    public async Task Inspect_ClinicalExport_ReadsTwelveLeads(string file, string format)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("inspect", Path.Combine(SharedData.Get("data/formats"), file), "--json");

        code.Should().Be(0, stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        doc.RootElement.GetProperty("format").GetString().Should().Be(format);
        doc.RootElement.GetProperty("leadCount").GetInt32().Should().Be(12);
    }

    [SharedDataFact("data/formats/scp-ecg/healforce_prince180d_62.SCP")]
    public async Task Inspect_NonConformantScp_FailsWithOneLine()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("inspect", SharedData.Get("data/formats/scp-ecg/healforce_prince180d_62.SCP"));

        code.Should().Be(2);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("healforce_prince180d_62.SCP");
    }
}
