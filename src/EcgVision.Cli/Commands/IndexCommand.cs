using System.CommandLine;
using EcgVision.Cli.Pipeline;
using EcgVision.Torch.CaseRetrieval;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision index --model M --data D --out INDEX</c>: embeds an archive with a trained system and saves the searchable system folder.</summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A trained system folder (from `ecgvision train`).", Required = true };
        var data = new Option<string>("--data") { Description = "A PTB-XL-layout folder whose records become the archive.", Required = true };
        var split = new Option<string>("--split") { Description = "Which records to index: train, validation, test or all.", DefaultValueFactory = _ => "train" };
        var records = new Option<int>("--records") { Description = "Use at most this many records per split (0 = all).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output system folder with the case index (may equal --model to update it in place).", Required = true };
        var command = new Command("index", "Build the case index: embed an archive of ECG records with a trained model and save model + index as one folder.");
        foreach (var o in new Option[] { model, data, split, records, output })
        {
            command.Options.Add(o);
        }

        CliCommand.SetHandler(command, (parseResult, cancellationToken) =>
        {
            var loaded = PipelineConsole.Step("Loading records", report => PipelineData.LoadPtbXl(parseResult.GetValue(data)!, parseResult.GetValue(records), report));
            var archive = PipelineData.Select(loaded, parseResult.GetValue(split)!);
            using var system = EcgCaseRetrievalSystem.Load(parseResult.GetValue(model)!, PipelineData.LoadOptions);
            int added = PipelineConsole.Run(p => system.IndexCases(archive, p, cancellationToken));
            string outDir = Path.GetFullPath(parseResult.GetValue(output)!);
            system.Save(outDir);
            AnsiConsole.MarkupLineInterpolated($"Indexed {added} cases ({system.IndexedCount} in all); saved to [bold]{outDir}[/]. Query with `ecgvision query --index {outDir} <record>`.");
            return Task.FromResult(0);
        });
        return command;
    }
}
