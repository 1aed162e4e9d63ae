namespace EcgVision.Cli.Tests;

/// <summary>The root command: the name users type (<c>ecgvision</c>) in help and usage text, <c>--version</c>, and parse errors.</summary>
[Collection("Console")]
public sealed class CliAppTests
{
    [Fact]
    public async Task Help_Root_UsageLineStartsWithToolName()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("--help");

        code.Should().Be(0);
        UsageLine(stdout).Should().StartWith("ecgvision [command]");
        stdout.Should().NotContain("EcgVision.Cli").And.NotContain("testhost");
        stdout.Should().Contain("--version").And.Contain("synth").And.Contain("demo");
    }

    [Fact]
    public async Task Help_Subcommand_UsageLineNamesToolAndCommand()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("demo", "--help");

        code.Should().Be(0);
        UsageLine(stdout).Should().StartWith("ecgvision demo [options]");
        stdout.Should().Contain("--ptbxl");
    }

    [Fact]
    public async Task Version_Root_PrintsAVersionAndSucceeds()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("--version");

        code.Should().Be(0);
        stdout.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }

    [Fact]
    public async Task Parse_UnknownCommand_FailsNamingItWithToolUsage()
    {
        var (code, stdout, err) = await CliRunner.RunAsync("frobnicate");

        code.Should().NotBe(0);
        err.Should().Contain("'frobnicate'");
        UsageLine(stdout).Should().StartWith("ecgvision [command]");
    }

    [Fact]
    public async Task Command_BadInput_StillGetsOneLineErrorNamingTheTool()
    {
        var (code, _, err) = await CliRunner.RunAsync("inspect", Path.Combine(Path.GetTempPath(), "ecgv-no-such-record-" + Guid.NewGuid().ToString("N")));

        code.Should().Be(2);
        err.Should().StartWith("ecgvision inspect: error:");
        err.TrimEnd().Should().NotContain("\n");
    }

    /// <summary>The first line after the "Usage:" heading, trimmed.</summary>
    private static string UsageLine(string help)
    {
        string[] lines = help.ReplaceLineEndings("\n").Split('\n');
        int heading = Array.FindIndex(lines, l => l.TrimEnd() == "Usage:");
        heading.Should().BeGreaterThanOrEqualTo(0, "help output has a 'Usage:' section:\n" + help);
        return lines[heading + 1].Trim();
    }
}
