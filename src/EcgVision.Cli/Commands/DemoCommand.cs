using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcgVision.Cli.Pipeline;
using EcgVision.Retrieval;
using EcgVision.Signals;
using EcgVision.Signals.Synthetic;
using EcgVision.Torch.CaseRetrieval;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using EcgVision.Torch.Vision;
using EcgVision.Torch.Training;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary>
/// <c>ecgvision demo</c>: the end-to-end case-retrieval job. Synthetic corpus (or <c>--ptbxl</c>) → strat_fold split → vocabulary +
/// CLIP training → case index over the training archive → held-out metrics against a random model and raw-signal k-NN → one held-out
/// query with its top-5 cases and a draft report → <c>index.html</c> + PNGs.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for index.html, PNGs and the saved system (created).", DefaultValueFactory = _ => "ecgvision-demo" };
        var ptbxl = new Option<string?>("--ptbxl") { Description = "Run on a PTB-XL download (folds 1–8 train, 9 validation, 10 test) instead of the synthetic corpus." };
        var seed = new Option<int>("--seed") { Description = "Seed of the corpus, the model initialisation and shuffling.", DefaultValueFactory = _ => 1 };
        var records = new Option<int>("--records") { Description = "Synthetic records to generate (with --ptbxl: at most this many per split; 0 = all).", DefaultValueFactory = _ => DemoSettings.Default.Records };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => DemoSettings.Default.Epochs };
        var encoding = new Option<string>("--encoding") { Description = "Signal image source: qiu or multilead.", DefaultValueFactory = _ => DemoSettings.Default.Encoding };
        var size = new Option<int>("--size") { Description = "Model image side length in pixels (a multiple of 8).", DefaultValueFactory = _ => DemoSettings.Default.ImageSize };
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => DemoSettings.Default.LearningRate };
        var quick = new Option<bool>("--quick") { Description = "A tiny, seconds-long run (for tests): few records, one epoch, small images." };
        var command = new Command("demo", "End-to-end demo: train a small ECG/report model, index an archive, evaluate against baselines and show similar cases (no arguments needed).");
        foreach (var o in new Option[] { output, ptbxl, seed, records, epochs, encoding, size, learningRate, quick })
        {
            command.Options.Add(o);
        }

        CliCommand.SetHandler(command, (parseResult, cancellationToken) =>
        {
            var settings = parseResult.GetValue(quick) ? DemoSettings.Quick : DemoSettings.Default;
            if (parseResult.GetResult(records) is { Implicit: false } || !parseResult.GetValue(quick))
            {
                settings = settings with { Records = parseResult.GetValue(records) };
            }

            if (parseResult.GetResult(epochs) is { Implicit: false } || !parseResult.GetValue(quick))
            {
                settings = settings with { Epochs = parseResult.GetValue(epochs) };
            }

            if (parseResult.GetResult(size) is { Implicit: false } || !parseResult.GetValue(quick))
            {
                settings = settings with { ImageSize = parseResult.GetValue(size) };
            }

            settings = settings with { Encoding = parseResult.GetValue(encoding)!, Seed = parseResult.GetValue(seed), LearningRate = parseResult.GetValue(learningRate) };
            return Task.FromResult(Run(parseResult.GetValue(output)!, parseResult.GetValue(ptbxl), settings, cancellationToken));
        });
        return command;
    }

    private static int Run(string outDir, string? ptbxlRoot, DemoSettings s, CancellationToken cancellationToken)
    {
        if (s.Records < 0 || (ptbxlRoot is null && s.Records < 20))
        {
            throw new ArgumentException($"--records must be at least 20 for the synthetic corpus (got {s.Records}).");
        }

        if (s.Epochs < 1)
        {
            throw new ArgumentException($"--epochs must be at least 1 (got {s.Epochs}).");
        }

        string folder = Path.GetFullPath(outDir);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, "index.html")))
        {
            throw new IOException($"--out folder '{folder}' exists and is not an earlier demo output (no index.html); refusing to write into it.");
        }

        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        AnsiConsole.Write(new Rule("[bold]EcgVision case-retrieval demo[/]"));

        // 1. Data.
        RecordSplit split;
        string dataName;
        if (ptbxlRoot is not null)
        {
            split = PipelineConsole.Step("Loading PTB-XL records", report => PipelineData.LoadPtbXl(ptbxlRoot, s.Records, report));
            dataName = $"PTB-XL at {Path.GetFullPath(ptbxlRoot)}";
        }
        else
        {
            var options = new SyntheticCorpusOptions { Ecg = new SyntheticEcgOptions { SamplingRate = 100 }, MaxDegreeOfParallelism = Environment.ProcessorCount };
            var corpus = PipelineConsole.Step($"Generating {s.Records} synthetic ECGs with reports", report =>
            {
                report(0, 1);
                var c = SyntheticEcgCorpus.Generate(s.Records, s.Seed, options);
                report(1, 1);
                return c;
            });
            split = PipelineData.SplitByFold(corpus.Select(e => e.Record));
            dataName = FormattableString.Invariant($"synthetic corpus, {s.Records} records at 100 Hz, seed {s.Seed}");
        }

        if (split.Test.Count == 0 && split.Validation.Count > 0)
        {
            AnsiConsole.MarkupLine("[yellow]No fold-10 (test) records: evaluating on the fold-9 (validation) records instead, without validation during training.[/]");
            split = new RecordSplit(split.Train, [], split.Validation);
        }

        if (split.Train.Count < 2 || split.Test.Count == 0)
        {
            throw new InvalidDataException($"The data has {split.Train.Count} training and {split.Test.Count} test records; the demo needs at least 2 and 1.");
        }

        AnsiConsole.MarkupLineInterpolated($"Data: {dataName}: [bold]{split.Train.Count}[/] train (archive), {split.Validation.Count} validation, {split.Test.Count} held-out test records.");

        // 2. Train, index, evaluate.
        if (s.ImageSize < 8 || s.ImageSize % 8 != 0)
        {
            throw new ArgumentException($"--size must be a positive multiple of 8 (got {s.ImageSize}).");
        }

        var systemOptions = new EcgCaseRetrievalOptions
        {
            Training = new EcgCaseRetrievalOptions().Training with { Epochs = s.Epochs, Seed = s.Seed, LearningRate = s.LearningRate },
            Drafter = PipelineData.Drafter,
        };
        using var system = new EcgCaseRetrievalSystem(PipelineData.CreateSource(s.Encoding, s.ImageSize), systemOptions);
        var validation = split.Validation.Count > 0 ? split.Validation : null;
        var trained = PipelineConsole.Run(p => system.Train(split.Train, validation, p, cancellationToken));
        AnsiConsole.Write(PipelineConsole.EpochTable(trained[EcgCaseRetrievalSystem.SignalView].History.Where(h => h.Kind == TrainingEventKind.EpochCompleted)));
        var evaluation = PipelineConsole.Run(p =>
        {
            system.IndexCases(split.Train, p, cancellationToken);
            return CaseRetrievalEvaluator.Evaluate(system, split.Train, split.Test, null, p, cancellationToken);
        });
        AnsiConsole.Write(PipelineConsole.MetricsTable(evaluation));

        // 3. One held-out query as a signal.
        var archive = split.Train.Where(r => r.Metadata.Id is not null).GroupBy(r => r.Metadata.Id!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var queryRecord = split.Test.FirstOrDefault(r => r.Metadata.Superclasses.Count > 0 && !r.Metadata.Superclasses.Contains("NORM")) ?? split.Test[0];
        var signalResult = system.Search(queryRecord, 5, RetrievalFilter<string>.Exclude([queryRecord.Metadata.Id ?? string.Empty]));
        AnsiConsole.MarkupLineInterpolated($"Query [bold]{queryRecord.Metadata.Id}[/] ({string.Join(",", queryRecord.Metadata.Superclasses)}): {queryRecord.Metadata.Report}");
        PipelineConsole.WriteSearch(signalResult, "Top-5 similar archived cases (signal query)");
        var queries = new List<DemoQuery> { new("Held-out ECG queried as a signal", "signal query", queryRecord, null, signalResult, archive) };
        if (PrintedEcgQuery(system, queryRecord, folder, archive, imageView: null) is { } printed)
        {
            queries.Add(printed);
        }

        // 4. Save the system and write the report.
        string systemFolder = Path.Combine(folder, "system");
        PipelineConsole.Step("Saving the system (model, tokenizer, index)", report =>
        {
            system.Save(systemFolder);
            report(1, 1);
            return 0;
        });
        var summary = new List<string>
        {
            $"Data: {dataName}.",
            FormattableString.Invariant($"Split by strat_fold: {split.Train.Count} train (also the searchable archive), {split.Validation.Count} validation, {split.Test.Count} held-out test."),
            FormattableString.Invariant($"Image source: {system.GetSource().Descriptor.Kind} {s.ImageSize}×{s.ImageSize}; model: ViT {system.GetEmbedder().Model.Config.Vision.HiddenSize}×{system.GetEmbedder().Model.Config.Vision.NumLayers} + BERT {system.GetEmbedder().Model.Config.Text.HiddenSize}×{system.GetEmbedder().Model.Config.Text.NumLayers}, embedding {system.GetEmbedder().EmbeddingDim}; {s.Epochs} epochs, vocabulary {system.Tokenizer!.VocabularySize} word pieces."),
            $"Saved system: {systemFolder} (query it with `ecgvision query --index {systemFolder} <record>`).",
        };
        var files = PipelineConsole.Step("Rendering ECGs and writing index.html", report =>
        {
            var written = DemoReport.Write(folder, "EcgVision case-retrieval demo", summary, evaluation, queries);
            report(1, 1);
            return written;
        });
        AnsiConsole.MarkupLineInterpolated($"Wrote {files.Count} files to [bold]{folder}[/]; open [link]{Path.Combine(folder, "index.html")}[/]. Total {clock.Elapsed.TotalSeconds:0.0} s.");
        return 0;
    }

    /// <summary>
    /// INTEGRATION POINT — printed-ECG query. When the system has an image view (an <c>IEcgImageQuerySource</c>, e.g. the printed-ECG
    /// source), render the held-out ECG as a paper printout, augment it like a phone photo, save it as <c>query-photo.png</c> in
    /// <paramref name="folder"/> and query with <c>system.SearchImage(stream, 5)</c>; return the <see cref="DemoQuery"/> so the report shows
    /// it next to the signal query. Until that view exists (<paramref name="imageView"/> is null) this prints a note and returns null.
    /// </summary>
    internal static DemoQuery? PrintedEcgQuery(
        EcgCaseRetrievalSystem system, EcgRecord query, string folder, IReadOnlyDictionary<string, EcgRecord> archive, string? imageView)
    {
        if (imageView is null)
        {
            AnsiConsole.MarkupLine("[grey]Printed-ECG (photo) query: skipped, this system has no image view yet.[/]");
            return null;
        }

        _ = system;
        _ = query;
        _ = folder;
        _ = archive;
        throw new NotSupportedException($"Printed-ECG query through view '{imageView}' is not wired in yet.");
    }
}

/// <summary>Demo sizes. <see cref="Default"/> keeps the whole demo within about 2 CPU-minutes on 2 cores.</summary>
internal sealed record DemoSettings(int Records, int Epochs, string Encoding, int ImageSize, int Seed, double LearningRate)
{
    public static DemoSettings Default { get; } = new(2000, 25, "qiu", 32, 1, 2e-3);

    public static DemoSettings Quick { get; } = new(60, 1, "qiu", 16, 1, 2e-3);
}
