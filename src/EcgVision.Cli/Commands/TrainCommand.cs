using System.CommandLine;
using EcgVision.Cli.Pipeline;
using EcgVision.Torch.CaseRetrieval;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Training;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision train --data D --encoding qiu|multilead --preset micro --epochs N --out MODEL [--resume]</c>: trains the tokenizer and the CLIP model and saves a case-retrieval system folder (no index yet).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A PTB-XL root, or a synthetic folder written by `ecgvision synth` (folds 1–8 train, 9 validation).", Required = true };
        var encoding = new Option<string>("--encoding") { Description = "Signal image source: qiu (the paper: one simultaneous beat per lead), qiu-printed (each lead's beat from its column of a 3×4 printout, so photos of printouts match their signals) or multilead.", DefaultValueFactory = _ => "qiu" };
        var preset = new Option<string>("--preset") { Description = "Model size preset: micro (the demo model, EcgCaseRetrievalOptions.CompactModel) or mini (EcgClipConfig.Micro: ViT 96×3, BERT 128×2).", DefaultValueFactory = _ => "micro" };
        var size = new Option<int>("--size") { Description = "Model image side length in pixels (a multiple of 8).", DefaultValueFactory = _ => 32 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 25 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 2e-3 };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights and shuffling.", DefaultValueFactory = _ => 1 };
        var records = new Option<int>("--records") { Description = "Use at most this many records per split (0 = all).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output folder for the trained system (model, tokenizer, manifest).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the per-epoch checkpoint in <out>-checkpoints/ after an interruption." };
        var command = new Command("train", "Train a CLIP-style ECG/report model (WordPiece vocabulary + ViT/BERT) on a PTB-XL-layout folder and save it as a case-retrieval system.");
        foreach (var o in new Option[] { data, encoding, preset, size, epochs, lr, seed, records, output, resume })
        {
            command.Options.Add(o);
        }

        CliCommand.SetHandler(command, (parseResult, cancellationToken) =>
        {
            int n = parseResult.GetValue(epochs);
            if (n < 1)
            {
                throw new ArgumentException($"--epochs must be at least 1 (got {n}).");
            }

            int px = parseResult.GetValue(size);
            if (px < 8 || px % 8 != 0)
            {
                throw new ArgumentException($"--size must be a positive multiple of 8 (got {px}).");
            }

            string presetName = parseResult.GetValue(preset)!.ToLowerInvariant();
            var model = presetName switch
            {
                "micro" => null, // EcgCaseRetrievalOptions.CompactModel sized to the source by the system
                "mini" => EcgClipConfig.Micro with { Vision = EcgClipConfig.Micro.Vision with { ImageSize = px, PatchSize = 8 } },
                _ => throw new ArgumentException($"--preset must be 'micro' or 'mini' (got '{presetName}')."),
            };
            string outDir = Path.GetFullPath(parseResult.GetValue(output)!);
            var split = PipelineConsole.Step("Loading records", report => PipelineData.LoadPtbXl(parseResult.GetValue(data)!, parseResult.GetValue(records), report));
            AnsiConsole.MarkupLineInterpolated($"{split.Train.Count} training and {split.Validation.Count} validation records.");
            var options = new EcgCaseRetrievalOptions
            {
                Model = model,
                Training = new EcgCaseRetrievalOptions().Training with
                {
                    Epochs = n, LearningRate = parseResult.GetValue(lr), Seed = parseResult.GetValue(seed),
                    CheckpointDirectory = outDir + "-checkpoints",
                },
                Resume = parseResult.GetValue(resume),
                Drafter = PipelineData.Drafter,
            };
            using var system = new EcgCaseRetrievalSystem(PipelineData.CreateSource(parseResult.GetValue(encoding)!, px), options);
            var results = PipelineConsole.Run(p => system.Train(split.Train, split.Validation.Count > 0 ? split.Validation : null, p, cancellationToken));
            AnsiConsole.Write(PipelineConsole.EpochTable(results[EcgCaseRetrievalSystem.SignalView].History.Where(h => h.Kind == TrainingEventKind.EpochCompleted)));
            system.Save(outDir);
            AnsiConsole.MarkupLineInterpolated($"Saved the trained system to [bold]{outDir}[/]. Next: `ecgvision index --model {outDir} --data <folder> --out <index>`.");
            return Task.FromResult(0);
        });
        return command;
    }
}
