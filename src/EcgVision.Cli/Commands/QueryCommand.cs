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
        var route = new Option<string>("--image-route")
        {
            Description = "For an image query: auto (digitise the printout and search the signal view; fall back to a printed-ECG image view), digitize, or image-view.",
            DefaultValueFactory = _ => "auto",
        };
        route.AcceptOnlyFromAmong("auto", "digitize", "image-view");
        var query = new Argument<string>("query") { Description = "An ECG record (WFDB .hea/.dat, clinical XML/EDF) or an image (.png/.jpg) of a printed ECG." };
        var command = new Command("query", "Find the most similar archived cases for an ECG record or a printed-ECG image, with their reports and a draft report.");
        command.Options.Add(index);
        command.Options.Add(top);
        command.Options.Add(json);
        command.Options.Add(route);
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
            var imageRoute = parseResult.GetValue(route) switch
            {
                "digitize" => ImageQueryRoute.Digitize,
                "image-view" => ImageQueryRoute.ImageView,
                _ => ImageQueryRoute.Auto,
            };
            var result = system.Search(path, k, imageRoute);
            var d = result.Digitization;
            if (parseResult.GetValue(json))
            {
                // The digitised record itself (NaN outside each lead's printed window) is not JSON; `ecgvision digitize` writes it as WFDB.
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    result.View,
                    result.Cases,
                    result.DraftReport,
                    Digitization = d is null ? null : new { d.Confidence, d.RotationDegrees, d.PixelsPerMillimeter, d.Warnings, d.LeadWindows },
                }, s_json));
            }
            else
            {
                if (d is not null)
                {
                    Console.Out.WriteLine(FormattableString.Invariant(
                        $"Digitised {Path.GetFileName(path)}: rotation {d.RotationDegrees:0.0}°, {d.PixelsPerMillimeter:0.00} px/mm, confidence {d.Confidence:0.00}."));
                }

                PipelineConsole.WriteSearch(result, $"Top-{k} similar cases for {Path.GetFileName(path)} (view '{result.View}'{(d is null ? string.Empty : ", digitised")})");
            }

            return 0;
        });
        return command;
    }
}
