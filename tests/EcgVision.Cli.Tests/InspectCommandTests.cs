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
