using System.CommandLine;
using EcgVision.Cli.Pipeline;
using EcgVision.Torch.CaseRetrieval;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision eval --model M --data D [--split test]</c>: held-out metrics of a trained system against a random model and raw-signal k-NN.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A trained (optionally indexed) system folder.", Required = true };
        var data = new Option<string>("--data") { Description = "A PTB-XL-layout folder; its training split is the archive the baselines search.", Required = true };
        var split = new Option<string>("--split") { Description = "Held-out split to evaluate: test (fold 10) or validation (fold 9).", DefaultValueFactory = _ => "test" };
        var records = new Option<int>("--records") { Description = "Use at most this many records per split (0 = all).", DefaultValueFactory = _ => 0 };
        var k = new Option<int>("-k") { Description = "Cut-off of precision@K and mAP@K.", DefaultValueFactory = _ => 10 };
        var command = new Command("eval", "Evaluate a trained system on held-out records: precision/mAP@K, cross-modal recall, BLEU/ROUGE-L, zero-shot AUROC, with both baselines.");
        foreach (var o in new Option[] { model, data, split, records, k })
        {
            command.Options.Add(o);
        }

        CliCommand.SetHandler(command, (parseResult, cancellationToken) =>
        {
            string which = parseResult.GetValue(split)!;
            if (which is not ("test" or "validation"))
            {
                throw new ArgumentException($"--split must be 'test' or 'validation' (got '{which}').");
            }

            var loaded = PipelineConsole.Step("Loading records", report => PipelineData.LoadPtbXl(parseResult.GetValue(data)!, parseResult.GetValue(records), report));
            var heldOut = PipelineData.Select(loaded, which);
            if (heldOut.Count == 0 || loaded.Train.Count == 0)
            {
                throw new InvalidDataException($"--data has {loaded.Train.Count} training and {heldOut.Count} {which} records; evaluation needs both.");
            }

            using var system = EcgCaseRetrievalSystem.Load(parseResult.GetValue(model)!, PipelineData.LoadOptions);
            if (system.IndexedCount > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]The model searches its saved index ({system.IndexedCount} cases); the baselines index the {loaded.Train.Count} training records of --data.[/]");
            }

            var evaluation = PipelineConsole.Run(p =>
                CaseRetrievalEvaluator.Evaluate(system, loaded.Train, heldOut, new CaseEvaluationOptions { K = parseResult.GetValue(k) }, p, cancellationToken));
            AnsiConsole.Write(PipelineConsole.MetricsTable(evaluation));
            return Task.FromResult(0);
        });
        return command;
    }
}
