using System.Globalization;
using EcgVision.Signals;
using EcgVision.Signals.PtbXl;
using EcgVision.Signals.Synthetic;

namespace EcgVision.Cli.Tests;

/// <summary><c>ecgvision demo --ptbxl</c> on a PTB-XL-layout folder written by <see cref="PtbXlWriter"/> from synthetic records over strat_folds 1–10.</summary>
[Collection("Console")]
public sealed class DemoPtbXlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgv-demo-ptbxl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Demo_PtbXlRootOverTenFolds_TrainsOnFolds1To8AndTestsOnFold10()
    {
        var records = SyntheticRecords(100, seed: 11);
        string root = WritePtbXl("ptbxl", records);
        int[] folds = [.. records.Select(Fold)];
        folds.Distinct().Should().HaveCount(10, "the synthetic corpus deals its patients over all ten folds");
        int quickCap = 60; // --quick loads at most 60 records per split
        int train = Math.Min(quickCap, folds.Count(f => f <= 8)), validation = folds.Count(f => f == 9), test = folds.Count(f => f == 10);
        validation.Should().BePositive();
        test.Should().BePositive();
        string output = Path.Combine(_dir, "demo");

        var (code, stdout, err) = await CliRunner.RunAsync("demo", "--ptbxl", root, "--quick", "--out", output);

        code.Should().Be(0, err + stdout);
        string html = File.ReadAllText(Path.Combine(output, "index.html"));
        html.Should().Contain($"Data: PTB-XL at {root}.");
        html.Should().Contain(string.Create(CultureInfo.InvariantCulture,
            $"Split by strat_fold: {train} train (also the searchable archive), {validation} validation, {test} held-out test."));
        html.Should().Contain("random model").And.Contain("raw signal k-NN").And.Contain("Draft report");
        File.ReadAllBytes(Path.Combine(output, "metrics.png")).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        File.Exists(Path.Combine(output, "system", "manifest.json")).Should().BeTrue();

        // The query shown is a held-out (fold-10) record, never one of the archive's (the loaded records' ids are the ecg_ids).
        string queryId = QueryId(html);
        records.Where(r => Fold(r) == 10).Select(r => r.Metadata.Id).Should().Contain(queryId, "the query must come from fold 10");
        records.Where(r => Fold(r) <= 8).Select(r => r.Metadata.Id).Should().NotContain(queryId);
    }

    [Fact]
    public async Task Demo_PtbXlRootWithoutFold10_EvaluatesOnFold9WithoutValidation()
    {
        var records = SyntheticRecords(60, seed: 13).Where(r => Fold(r) <= 9).ToList();
        int train = records.Count(r => Fold(r) <= 8), fold9 = records.Count(r => Fold(r) == 9);
        fold9.Should().BePositive();
        string root = WritePtbXl("no-fold-10", records);
        string output = Path.Combine(_dir, "demo");

        var (code, stdout, err) = await CliRunner.RunAsync("demo", "--ptbxl", root, "--quick", "--no-printout", "--out", output);

        code.Should().Be(0, err + stdout);
        string html = File.ReadAllText(Path.Combine(output, "index.html"));
        html.Should().Contain(string.Create(CultureInfo.InvariantCulture,
            $"Split by strat_fold: {train} train (also the searchable archive), 0 validation, {fold9} held-out test."));
        records.Where(r => Fold(r) == 9).Select(r => r.Metadata.Id).Should().Contain(QueryId(html));
    }

    [Fact]
    public async Task Demo_PtbXlRootWithoutFold9Or10_FailsNamingTheCounts()
    {
        var records = SyntheticRecords(40, seed: 12).Where(r => Fold(r) <= 8).ToList();
        string root = WritePtbXl("train-only", records);
        string output = Path.Combine(_dir, "demo");

        var (code, _, err) = await CliRunner.RunAsync("demo", "--ptbxl", root, "--quick", "--out", output);

        code.Should().Be(2);
        err.Should().StartWith("ecgvision demo: error:").And.Contain($"{records.Count} training and 0 test records");
        File.Exists(Path.Combine(output, "index.html")).Should().BeFalse();
    }

    [Fact]
    public async Task Demo_PtbXlRootMissing_FailsNamingTheOptionAndFolder()
    {
        string root = Path.Combine(_dir, "no-such-ptbxl");

        var (code, _, err) = await CliRunner.RunAsync("demo", "--ptbxl", root, "--quick", "--out", Path.Combine(_dir, "demo"));

        code.Should().Be(2);
        err.Should().Contain("--ptbxl").And.Contain(root).And.Contain("does not exist");
    }

    [Fact]
    public async Task Demo_PtbXlRootWithoutPtbXlFiles_FailsNamingTheMissingFile()
    {
        string root = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(root);

        var (code, _, err) = await CliRunner.RunAsync("demo", "--ptbxl", root, "--quick", "--out", Path.Combine(_dir, "demo"));

        code.Should().Be(2);
        err.Should().StartWith("ecgvision demo: error:").And.Contain(root).And.Contain(".csv").And.Contain("does not exist");
    }

    private static List<EcgRecord> SyntheticRecords(int count, int seed) =>
        [.. SyntheticEcgCorpus.Generate(count, seed, new SyntheticCorpusOptions { Ecg = new SyntheticEcgOptions { SamplingRate = 100 } }).Select(e => e.Record)];

    private string WritePtbXl(string name, IEnumerable<EcgRecord> records)
    {
        string root = Path.Combine(_dir, name);
        PtbXlWriter.Write(root, records, SyntheticCondition.All.Select(c => c.ToScpStatement()));
        return root;
    }

    private static int Fold(EcgRecord record) => int.Parse(record.Metadata.Properties["strat_fold"], CultureInfo.InvariantCulture);

    /// <summary>The record id in the report's first "Query …" heading.</summary>
    private static string QueryId(string html)
    {
        const string marker = "<b>Query ";
        int start = html.IndexOf(marker, StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, "the report shows a query");
        start += marker.Length;
        return html[start..html.IndexOf("</b>", start, StringComparison.Ordinal)];
    }
}
