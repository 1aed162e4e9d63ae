using System.CommandLine;
using System.Text.Json;
using EcgVision.Cli.Pipeline;
using EcgVision.Torch.CaseRetrieval;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision query --index INDEX &lt;record | printed-ECG image&gt; -k 5 [--json]</c>: the most similar archived cases and a draft report.</summary>
internal static class QueryCommand
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "A system folder with a case index (from `ecgvision index` or the demo's system/ folder).", Required = true };
        var top = new Option<int>("-k", "--top") { Description = "Number of similar cases to return.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on stdout." };
        var query = new Argument<string>("query") { Description = "An ECG record (WFDB .hea/.dat, clinical XML/EDF) or an image (.png/.jpg) of a printed ECG." };
        var command = new Command("query", "Find the most similar archived cases for an ECG record or a printed-ECG image, with their reports and a draft report.");
        command.Options.Add(index);
        command.Options.Add(top);
        command.Options.Add(json);
        command.Arguments.Add(query);
        CliCommand.SetHandler(command, parseResult =>
        {
            int k = parseResult.GetValue(top);
            if (k < 1)
            {
                throw new ArgumentException($"-k must be at least 1 (got {k}).");
            }

            string path = parseResult.GetValue(query)!;
            using var system = EcgCaseRetrievalSystem.Load(parseResult.GetValue(index)!, PipelineData.LoadOptions);
            var result = system.Search(path, k);
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(result, s_json));
            }
            else
            {
                PipelineConsole.WriteSearch(result, $"Top-{k} similar cases for {Path.GetFileName(path)} (view '{result.View}')");
            }

            return 0;
        });
        return command;
    }
}
