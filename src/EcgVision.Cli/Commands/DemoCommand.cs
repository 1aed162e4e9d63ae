using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcgVision.Cli.Pipeline;
using EcgVision.Imaging.Rendering;
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
/// CLIP training (a signal view and a printed-ECG "printout" view) → case index over the training archive → held-out metrics against a
/// random model and raw-signal k-NN, plus photo-query metrics → one held-out query as a signal and as a photo of its printout, each with
/// its top-5 cases and a draft report → <c>index.html</c> + PNGs.
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
        var encoding = new Option<string>("--encoding") { Description = "Signal image source: qiu (the paper: one simultaneous beat per lead), qiu-printed (each lead's beat from its column of a 3×4 printout, so photos of printouts match their signals) or multilead.", DefaultValueFactory = _ => DemoSettings.Default.Encoding };
        var size = new Option<int>("--size") { Description = "Model image side length in pixels (a multiple of 8).", DefaultValueFactory = _ => DemoSettings.Default.ImageSize };
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => DemoSettings.Default.LearningRate };
        var quick = new Option<bool>("--quick") { Description = "A tiny, seconds-long run (for tests): few records, one epoch, small images." };
        var noPrintout = new Option<bool>("--no-printout") { Description = "Skip the printed-ECG part (no photo query, no photo metrics)." };
        var printoutView = new Option<bool>("--printout-view") { Description = "Also train a learned printed-ECG image view (a ViT on photo-augmented printouts) and compare it with the digitiser route." };
        var command = new Command("demo", "End-to-end demo: train a small ECG/report model, index an archive, evaluate against baselines and show similar cases (no arguments needed).");
        foreach (var o in new Option[] { output, ptbxl, seed, records, epochs, encoding, size, learningRate, quick, noPrintout, printoutView })
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

            settings = settings with
            {
                Encoding = parseResult.GetValue(encoding)!, Seed = parseResult.GetValue(seed), LearningRate = parseResult.GetValue(learningRate),
                Printout = !parseResult.GetValue(noPrintout),
                PrintoutView = parseResult.GetValue(printoutView) && !parseResult.GetValue(noPrintout),
            };
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
            split = PipelineConsole.Step("Loading PTB-XL records", report => PipelineData.LoadPtbXl(ptbxlRoot, s.Records, report, "--ptbxl"));
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
        string? imageView = null;
        if (s.PrintoutView)
        {
            imageView = PrintoutView;
            system.AddView(PrintoutView, new PrintoutImageSource(new PrintoutImageSourceOptions { Size = s.PrintoutSize, Augmentation = PrintoutAugmentation.Fast }), new CaseRetrievalViewOptions
            {
                Epochs = Math.Min(s.Epochs, s.PrintoutEpochs),
                AugmentedCopies = 1,
                Model = EcgCaseRetrievalOptions.CompactModel(s.PrintoutSize, 1) is var m ? m with { Vision = m.Vision with { PatchSize = 8 } } : null,
            });
        }

        var validation = split.Validation.Count > 0 ? split.Validation : null;
        var trained = PipelineConsole.Run(p => system.Train(split.Train, validation, p, cancellationToken));
        foreach (var (viewName, result) in trained)
        {
            AnsiConsole.MarkupLineInterpolated($"View [bold]{viewName}[/] ({system.GetSource(viewName).Descriptor.Kind}):");
            AnsiConsole.Write(PipelineConsole.EpochTable(result.History.Where(h => h.Kind == TrainingEventKind.EpochCompleted)));
        }

        var evaluation = PipelineConsole.Run(p =>
        {
            system.IndexCases(split.Train, p, cancellationToken);
            return CaseRetrievalEvaluator.Evaluate(system, split.Train, split.Test, null, p, cancellationToken);
        });
        List<(string Name, string[] Values)>? photoRows = null;
        string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.000", CultureInfo.InvariantCulture);
        PrintedQueryEvaluation? printed = null;
        if (s.Printout)
        {
            var printedOptions = new PrintedQueryEvaluationOptions { AugmentationSeedBase = PhotoSeedBase };
            printed = PipelineConsole.Step($"Printing, photographing and digitising the {split.Test.Count} held-out ECGs", report =>
                CaseRetrievalEvaluator.EvaluatePrintedQueries(system, split.Test, printedOptions, new ActionProgress<CaseRetrievalProgress>(p => report((int)p.Completed, (int)p.Total)), cancellationToken));
            photoRows =
            [
                ($"photo query (digitised): superclass precision@{printed.K}", [F(printed.Photo.PrecisionAtK), "–", "–"]),
                ($"photo vs signal top-{printed.K} overlap", [F(printed.MeanTopKOverlap), "–", "–"]),
                ("photos digitised", [FormattableString.Invariant($"{printed.Digitized}/{printed.QueryCount}"), "–", "–"]),
                ("digitised vs true lead correlation", [F(printed.MeanLeadCorrelation), "–", "–"]),
            ];
            foreach (string failure in printed.Failures)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]Not digitised: {failure}[/]");
            }
        }

        ImageViewEvaluation? photoEvaluation = null;
        if (imageView is not null)
        {
            photoEvaluation = PipelineConsole.Step($"Querying the {split.Test.Count} held-out ECGs as photo-augmented printouts", report =>
            {
                report(0, 1);
                var e = CaseRetrievalEvaluator.EvaluateImageView(system, split.Test, imageView, PhotoSeedBase, null, cancellationToken);
                report(1, 1);
                return e;
            });
            photoRows ??= [];
            photoRows.Add(($"photo query (learned printout view): precision@{photoEvaluation.K}", [F(photoEvaluation.Photo.PrecisionAtK), "–", "–"]));
            photoRows.Add(($"learned view vs signal top-{photoEvaluation.K} overlap", [F(photoEvaluation.MeanTopKOverlap), "–", "–"]));
        }

        AnsiConsole.Write(PipelineConsole.MetricsTable(evaluation, photoRows));
        if (printed is not null)
        {
            AnsiConsole.MarkupLine(FormattableString.Invariant(
                $"[grey]Photo rows: each held-out ECG printed at 150 DPI, photo-augmented (rotation, perspective, creases, lighting, blur, noise, JPEG; seed {PhotoSeedBase} + i), digitised back to 12 leads and searched through the signal view; overlap = shared cases in the photo's and the signal's top-{printed.K} lists / {printed.K}.[/]"));
        }

        if (photoEvaluation is not null)
        {
            AnsiConsole.MarkupLine(FormattableString.Invariant(
                $"[grey]Learned-view rows: the same kind of photos (at the view's 50 DPI) embedded by the '{imageView}' view's own ViT, without digitising.[/]"));
        }

        // 3. One held-out query as a signal.
        var archive = split.Train.Where(r => r.Metadata.Id is not null).GroupBy(r => r.Metadata.Id!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var queryRecord = split.Test.FirstOrDefault(r => r.Metadata.Superclasses.Count > 0 && !r.Metadata.Superclasses.Contains("NORM")) ?? split.Test[0];
        var signalResult = system.Search(queryRecord, 5, RetrievalFilter<string>.Exclude([queryRecord.Metadata.Id ?? string.Empty]));
        AnsiConsole.MarkupLineInterpolated($"Query [bold]{queryRecord.Metadata.Id}[/] ({string.Join(",", queryRecord.Metadata.Superclasses)}): {queryRecord.Metadata.Report}");
        PipelineConsole.WriteSearch(signalResult, "Top-5 similar archived cases (signal query)");
        var queries = new List<DemoQuery> { new("Held-out ECG queried as a signal", "signal query", queryRecord, null, signalResult, archive) };
        if (s.Printout && PrintedEcgQuery(system, queryRecord, folder, archive) is { } photoQuery)
        {
            queries.Add(photoQuery);
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
            FormattableString.Invariant($"Image source: {system.GetSource().Descriptor.Kind}{(system.GetSource() is EcgVision.Encoding.QiuImageSource { BeatSelection: EcgVision.Encoding.QiuBeatSelection.PrintedLayout } ? " (printed-layout beats)" : string.Empty)} {s.ImageSize}×{s.ImageSize}; model: ViT {system.GetEmbedder().Model.Config.Vision.HiddenSize}×{system.GetEmbedder().Model.Config.Vision.NumLayers} + BERT {system.GetEmbedder().Model.Config.Text.HiddenSize}×{system.GetEmbedder().Model.Config.Text.NumLayers}, embedding {system.GetEmbedder().EmbeddingDim}; {s.Epochs} epochs, vocabulary {system.Tokenizer!.VocabularySize} word pieces."),
        };
        if (printed is not null)
        {
            summary.Add(FormattableString.Invariant(
                $"Photo queries ({printed.QueryCount} held-out ECGs printed at 150 DPI and photo-augmented, then digitised back to 12 leads by the paper-ECG digitiser): {printed.Digitized} digitised (mean confidence {printed.MeanConfidence:0.00}, mean lead correlation with the true signal {printed.MeanLeadCorrelation:0.000}); superclass precision@{printed.K} {printed.Photo.PrecisionAtK:0.000} vs {printed.Signal.PrecisionAtK:0.000} from the signals; mean top-{printed.K} overlap with the signal query's cases {printed.MeanTopKOverlap:0.000}."));
        }

        if (photoEvaluation is not null)
        {
            summary.Add(FormattableString.Invariant(
                $"Learned printed-ECG view '{imageView}' (--printout-view): printouts at 50 DPI shrunk to 1×{s.PrintoutSize}×{s.PrintoutSize} grey, trained for {Math.Min(s.Epochs, s.PrintoutEpochs)} epochs on one photo-augmented printout per record; its photo queries reach precision@{photoEvaluation.K} {photoEvaluation.Photo.PrecisionAtK:0.000} with top-{photoEvaluation.K} overlap {photoEvaluation.MeanTopKOverlap:0.000} with the signal query."));
        }

        summary.AddRange(new[]
        {
            $"Saved system: {systemFolder} (query it with `ecgvision query --index {systemFolder} <record or photo.png>`).",
        });
        var files = PipelineConsole.Step("Rendering ECGs and writing index.html", report =>
        {
            var written = DemoReport.Write(folder, "EcgVision case-retrieval demo", summary, evaluation, queries, photoRows);
            report(1, 1);
            return written;
        });
        AnsiConsole.MarkupLineInterpolated($"Wrote {files.Count} files to [bold]{folder}[/]; open [link]{Path.Combine(folder, "index.html")}[/]. Total {clock.Elapsed.TotalSeconds:0.0} s.");
        return 0;
    }

    /// <summary>
    /// The printed-ECG query: prints the held-out ECG as the evaluation does (<see cref="PrintedQueryEvaluationOptions.Render"/>,
    /// 150 DPI), degrades it like a phone photo (<see cref="PaperEcgAugmentationOptions.Default"/>, seed <see cref="PhotoQuerySeed"/>,
    /// outside the training and evaluation seeds), saves it as <c>query1-photo.png</c> and queries the system with that file
    /// (<c>Search(path)</c>: digitised back to a signal, or the learned image view when the digitiser cannot read it). When digitised,
    /// the signal the digitiser read is rendered to <c>query1-digitized.png</c>. Returns null (after a note) when the photo cannot be
    /// answered.
    /// </summary>
    internal static DemoQuery? PrintedEcgQuery(EcgCaseRetrievalSystem system, EcgRecord query, string folder, IReadOnlyDictionary<string, EcgRecord> archive)
    {
        var photographer = new PaperEcgRenderer(new PrintedQueryEvaluationOptions().Render with { Augmentation = PaperEcgAugmentationOptions.Default });
        var photo = photographer.Render(query.ToStandardTwelveLead(), PhotoQuerySeed);
        string photoPath = Path.Combine(folder, PhotoFileName);
        photo.SavePng(photoPath);
        CaseSearchResult result;
        try
        {
            result = system.Search(photoPath, 5);
        }
        catch (Exception ex) when (ex is EcgFormatException or InvalidOperationException)
        {
            // One unreadable photo should not end the whole demo: say why and go on without the photo query.
            AnsiConsole.MarkupLineInterpolated($"[yellow]Photo query {PhotoFileName} could not be answered: {ex.Message}[/]");
            return null;
        }

        string? digitizedFile = null;
        if (result.Digitization is { } d)
        {
            digitizedFile = DigitizedFileName;
            DemoReport.RenderEcg(d.Record, Path.Combine(folder, digitizedFile), FormattableString.Invariant(
                $"Digitised from {PhotoFileName}: rotation {d.RotationDegrees:0.0}°, {d.PixelsPerMillimeter:0.00} px/mm, confidence {d.Confidence:0.00}"));
            AnsiConsole.MarkupLineInterpolated(
                $"Photo query: [bold]{PhotoFileName}[/] (query {query.Metadata.Id} printed, photographed with seed {PhotoQuerySeed}) digitised (rotation {d.RotationDegrees:0.0}°, confidence {d.Confidence:0.00}) and searched through view '{result.View}':");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Photo query: [bold]{PhotoFileName}[/] could not be digitised; answered through view '{result.View}':");
        }

        PipelineConsole.WriteSearch(result, "Top-5 similar archived cases (photo query)");
        return new DemoQuery("Held-out ECG queried as a photo of its printout", "photo query", query, PhotoFileName, result, archive) { DigitizedImageFile = digitizedFile };
    }

    /// <summary>The printed-ECG view's name.</summary>
    internal const string PrintoutView = "printout";

    /// <summary>The photo PNG the demo writes and queries with.</summary>
    internal const string PhotoFileName = "query1-photo.png";

    /// <summary>The rendering of what the digitiser read from the photo.</summary>
    internal const string DigitizedFileName = "query1-digitized.png";

    /// <summary>First augmentation seed of the evaluation's photo queries (query i uses this + i); training seeds are far below it.</summary>
    internal const int PhotoSeedBase = 2_000_000_001;

    /// <summary>Augmentation seed of the demo's photo; not a training or evaluation seed.</summary>
    internal const int PhotoQuerySeed = 2_000_000_000;
}

/// <summary>Demo sizes. <see cref="Default"/> keeps the whole demo within about 2 CPU-minutes on 2 cores.</summary>
/// <remarks>The printout view (on unless <c>--no-printout</c>) trains for at most <see cref="PrintoutEpochs"/> epochs on
/// <see cref="PrintoutSize"/>-pixel grey printouts, so the whole demo stays within 3 minutes on 2 cores.</remarks>
internal sealed record DemoSettings(int Records, int Epochs, string Encoding, int ImageSize, int Seed, double LearningRate)
{
    public static DemoSettings Default { get; } = new(2000, 25, "qiu-printed", 32, 1, 2e-3);

    public static DemoSettings Quick { get; } = new(60, 1, "qiu-printed", 16, 1, 2e-3) { PrintoutSize = 32 };

    public bool Printout { get; init; } = true;

    public bool PrintoutView { get; init; }

    public int PrintoutSize { get; init; } = 64;

    public int PrintoutEpochs { get; init; } = 12;
}
