using System.Text.Json;

namespace EcgVision.Cli.Tests;

/// <summary>The case-retrieval commands end to end on a tiny synthetic folder: train → index → query → eval, and the demo.</summary>
[Collection("Console")]
public sealed class PipelineCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgv-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Demo_Quick_WritesHtmlReportPngsAndASearchableSystem()
    {
        string output = Path.Combine(_dir, "demo");

        var (code, stdout, err) = await CliRunner.RunAsync("demo", "--quick", "--printout-view", "--out", output);

        code.Should().Be(0, err + stdout);
        string html = File.ReadAllText(Path.Combine(output, "index.html"));
        html.Should().Contain("<table>").And.Contain("random model").And.Contain("raw signal k-NN").And.Contain("Draft report");
        html.Should().NotContain("<script");
        foreach (string png in new[] { "metrics.png", "query1.png", "query1-neighbour1.png" })
        {
            File.ReadAllBytes(Path.Combine(output, png)).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        }

        File.Exists(Path.Combine(output, "system", "manifest.json")).Should().BeTrue();

        // The printed-ECG view: a photo-like PNG of the held-out query, its results in the report, the photo rows in the table.
        File.ReadAllBytes(Path.Combine(output, "query1-photo.png")).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        html.Should().Contain("src=\"query1-photo.png\"").And.Contain("queried as a photo of its printout").And.Contain("(photo query)");
        html.Should().Contain("photo query (digitised): superclass precision@10").And.Contain("photo vs signal top-10 overlap").And.Contain("photos digitised");
        html.Should().Contain("photo query (learned printout view): precision@10", "--printout-view adds the learned image view's rows");
        html.Should().Contain("src=\"query1-digitized.png\"").And.Contain("What the digitiser read from the photo");
        File.ReadAllBytes(Path.Combine(output, "query1-digitized.png")).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');

        // The saved system loads and answers the photo from the command line: digitised by default, or through the learned view.
        var query = await CliRunner.RunAsync("query", "--index", Path.Combine(output, "system"), Path.Combine(output, "query1-photo.png"), "-k", "3", "--json");
        query.ExitCode.Should().Be(0, query.Err);
        using var json = JsonDocument.Parse(query.Out);
        json.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("score").GetSingle()).Should().HaveCount(3).And.BeInDescendingOrder();
        json.RootElement.GetProperty("view").GetString().Should().Be("signal");
        json.RootElement.GetProperty("digitization").GetProperty("confidence").GetDouble().Should().BeInRange(0.5, 1.0);
        json.RootElement.GetProperty("digitization").GetProperty("leadWindows").GetArrayLength().Should().Be(12);
        var viaView = await CliRunner.RunAsync("query", "--index", Path.Combine(output, "system"), Path.Combine(output, "query1-photo.png"), "-k", "3", "--json", "--image-route", "image-view");
        viaView.ExitCode.Should().Be(0, viaView.Err);
        using var viewJson = JsonDocument.Parse(viaView.Out);
        viewJson.RootElement.GetProperty("view").GetString().Should().Be("printout");
        viewJson.RootElement.GetProperty("digitization").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Demo_OutIntoForeignFolder_FailsWithoutTouchingIt()
    {
        string output = Path.Combine(_dir, "mine");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "thesis.docx"), "precious");

        var (code, _, err) = await CliRunner.RunAsync("demo", "--quick", "--out", output);

        code.Should().Be(2);
        err.Should().Contain("refusing");
        Directory.GetFileSystemEntries(output).Should().ContainSingle();
    }

    [Fact]
    public async Task TrainIndexQueryEval_OnSyntheticFolder_Work()
    {
        string data = Path.Combine(_dir, "corpus");
        string model = Path.Combine(_dir, "model");
        string index = Path.Combine(_dir, "index");
        (await CliRunner.RunAsync("synth", "--count", "50", "--seed", "3", "--out", data)).ExitCode.Should().Be(0);

        var train = await CliRunner.RunAsync("train", "--data", data, "--encoding", "multilead", "--preset", "micro", "--size", "16", "--epochs", "1", "--out", model);
        train.ExitCode.Should().Be(0, train.Err);
        File.Exists(Path.Combine(model, "manifest.json")).Should().BeTrue();
        Directory.Exists(model + "-checkpoints").Should().BeTrue();

        var resumed = await CliRunner.RunAsync("train", "--data", data, "--size", "16", "--epochs", "2", "--out", model, "--resume");
        resumed.ExitCode.Should().Be(0, resumed.Err);

        var indexed = await CliRunner.RunAsync("index", "--model", model, "--data", data, "--out", index);
        indexed.ExitCode.Should().Be(0, indexed.Err);

        string record = Path.Combine(data, "records100", "00000", "00002_lr");
        var query = await CliRunner.RunAsync("query", "--index", index, record, "-k", "3", "--json");
        query.ExitCode.Should().Be(0, query.Err);
        using var json = JsonDocument.Parse(query.Out);
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        cases.Should().HaveCount(3);
        cases.Select(c => c.GetProperty("score").GetSingle()).Should().BeInDescendingOrder();
        cases.Should().OnlyContain(c => c.GetProperty("report").GetString()!.Length > 0);
        json.RootElement.GetProperty("draftReport").GetProperty("disclaimer").GetString().Should().Contain("Decision support");

        var eval = await CliRunner.RunAsync("eval", "--model", model, "--data", data, "--split", "test");
        eval.ExitCode.Should().Be(0, eval.Err);
    }

    [Fact]
    public async Task Query_ImageOnSignalOnlySystem_IsDigitised_AndTheImageViewRouteFailsWithClearError()
    {
        string output = Path.Combine(_dir, "demo");
        var demo = await CliRunner.RunAsync("demo", "--quick", "--no-printout", "--out", output);
        demo.ExitCode.Should().Be(0);
        File.Exists(Path.Combine(output, "query1-photo.png")).Should().BeFalse();
        File.ReadAllText(Path.Combine(output, "index.html")).Should().NotContain("photo query");

        // query1.png is the report's own 60-DPI rendering of the query ECG: a signal-only system reads it through the digitiser.
        var digitised = await CliRunner.RunAsync("query", "--index", Path.Combine(output, "system"), Path.Combine(output, "query1.png"));
        digitised.ExitCode.Should().Be(0, digitised.Err);
        digitised.Out.Should().Contain("Digitised query1.png");

        var (code, _, err) = await CliRunner.RunAsync("query", "--index", Path.Combine(output, "system"), Path.Combine(output, "query1.png"), "--image-route", "image-view");

        code.Should().Be(2);
        err.Should().Contain("Image queries through an image view need a view").And.Contain("'signal' (qiu)");
    }

    [Fact]
    public async Task Query_MissingIndex_FailsNamingTheFolder()
    {
        var (code, _, err) = await CliRunner.RunAsync("query", "--index", Path.Combine(_dir, "nowhere"), "x.hea");

        code.Should().Be(2);
        err.Should().Contain("nowhere").And.Contain("does not exist");
    }
}
