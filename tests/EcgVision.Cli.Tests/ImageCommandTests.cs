using EcgVision.Testing;

namespace EcgVision.Cli.Tests;

[Collection("Console")]
public sealed class ImageCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgv-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> SynthRecordAsync()
    {
        string root = Path.Combine(_dir, "corpus");
        (await CliRunner.RunAsync("synth", "--count", "2", "--seed", "5", "--out", root)).ExitCode.Should().Be(0);
        return Path.Combine(root, "records100", "00000", "00001_lr");
    }

    [Theory]
    [InlineData("qiu", 64, 3)]
    [InlineData("gasf", 48, 1)]
    [InlineData("mtf", 48, 1)]
    [InlineData("rp", 48, 1)]
    [InlineData("paper", 48, 3)]
    public async Task Encode_WritesNpyOfTheRightShape(string method, int size, int channels)
    {
        string record = await SynthRecordAsync();
        string npy = Path.Combine(_dir, $"{method}.npy");

        var (code, _, err) = await CliRunner.RunAsync("encode", record, "--method", method, "--size", size.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", npy);

        code.Should().Be(0, err);
        string header = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(npy), 10, 118);
        header.Should().Contain($"'shape': ({channels}, {size}, {size})");
        new FileInfo(npy).Length.Should().BeGreaterThan(channels * size * size * 4);
    }

    [Fact]
    public async Task Encode_Png_And_UnknownMethod()
    {
        string record = await SynthRecordAsync();
        string png = Path.Combine(_dir, "gasf.png");

        (await CliRunner.RunAsync("encode", record, "--method", "gasf", "--size", "64", "--out", png)).ExitCode.Should().Be(0);
        File.ReadAllBytes(png).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');

        var (code, _, err) = await CliRunner.RunAsync("encode", record, "--method", "wavelet", "--out", png);
        code.Should().NotBe(0);
        err.Should().Contain("--method must be one of").And.Contain("wavelet");
    }

    [Fact]
    public async Task Render_WritesA2200x1700PngAndLeadBoxes()
    {
        string record = await SynthRecordAsync();
        string png = Path.Combine(_dir, "ecg.png");
        string boxes = Path.Combine(_dir, "boxes.json");

        var (code, _, err) = await CliRunner.RunAsync("render", record, "--out", png, "--augment", "7", "--boxes", boxes);

        code.Should().Be(0, err);
        byte[] bytes = File.ReadAllBytes(png);
        int width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
        int height = (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23];
        (width, height).Should().Be((2200, 1700));
        File.ReadAllText(boxes).Should().Contain("V6");
    }

    [Fact]
    public async Task Digitize_RenderedPage_WritesWfdbThatReadsBack()
    {
        string record = await SynthRecordAsync();
        string png = Path.Combine(_dir, "page.png");
        (await CliRunner.RunAsync("render", record, "--out", png)).ExitCode.Should().Be(0);
        string outBase = Path.Combine(_dir, "digitized", "page");

        var (code, stdout, err) = await CliRunner.RunAsync("digitize", png, "--out", outBase, "--json");

        code.Should().Be(0, err);
        stdout.Should().Contain("\"rotationDegrees\"").And.Contain("\"leadWindows\"").And.Contain("\"aVR\"");
        var source = EcgVision.Signals.Wfdb.WfdbReader.Read(record);
        var back = EcgVision.Signals.Wfdb.WfdbReader.Read(outBase);
        back.LeadCount.Should().Be(12);
        back.SampleCount.Should().Be(1000);
        back.SamplingRate.Should().Be(100);
        float.IsNaN(back.GetLead("I")[600]).Should().BeTrue("lead I is printed only for 0-2.5 s");
        double r = EcgVision.Imaging.Digitization.DigitizationAgreement.Pearson(source.GetLead("II"), back.GetLead("II"));
        r.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public async Task Digitize_NotAnImage_FailsWithOneLine()
    {
        string bogus = Path.Combine(_dir, "bogus.png");
        await File.WriteAllTextAsync(bogus, "not an image");

        var (code, _, err) = await CliRunner.RunAsync("digitize", bogus, "--out", Path.Combine(_dir, "x"));

        code.Should().NotBe(0);
        err.Should().Contain("bogus.png");
    }
}
