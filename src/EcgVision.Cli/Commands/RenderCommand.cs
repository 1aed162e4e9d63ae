using System.CommandLine;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision render &lt;record&gt; --out ecg.png [--dpi --grid --layout --augment SEED --boxes boxes.json]</c>.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var record = new Argument<string>("record") { Description = "The ECG record (WFDB record path or a clinical export)." };
        var output = new Option<string>("--out") { Description = "The PNG file to write.", Required = true };
        var dpi = new Option<double>("--dpi") { Description = "Resolution in dots per inch (letter landscape at 200 DPI = 2200×1700 px).", DefaultValueFactory = _ => 200 };
        var grid = new Option<GridColorScheme>("--grid") { Description = "Grid colours: Red, Pink, Blue, Green, Brown, BlackAndWhite.", DefaultValueFactory = _ => GridColorScheme.Red };
        var layout = new Option<PaperEcgLayout>("--layout") { Description = "ThreeByFour (clinical 3×4 + rhythm strip), SixByTwo or TwelveByOne.", DefaultValueFactory = _ => PaperEcgLayout.ThreeByFour };
        var augment = new Option<int?>("--augment") { Description = "Make it look like a phone photo or scan of paper, with this seed (same seed, same bytes)." };
        var boxes = new Option<string?>("--boxes") { Description = "Also write the bounding box of every plotted lead as JSON to this file." };
        var command = new Command("render", "Render a 12-lead record as a paper ECG printout (25 mm/s, 10 mm/mV, 5 mm/1 mm grid, calibration pulse), optionally photo-augmented.");
        command.Arguments.Add(record);
        foreach (Option o in new Option[] { output, dpi, grid, layout, augment, boxes })
        {
            command.Options.Add(o);
        }

        CliCommand.SetHandler(command, parseResult =>
        {
            string path = parseResult.GetValue(output)!;
            if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--out must be a .png file (got '{path}').");
            }

            EcgRecord ecg = EcgRecordLoader.Load(parseResult.GetValue(record)!);
            int? seed = parseResult.GetValue(augment);
            var options = new PaperEcgRenderOptions
            {
                Dpi = parseResult.GetValue(dpi),
                GridColors = parseResult.GetValue(grid),
                Layout = parseResult.GetValue(layout),
                Augmentation = seed is null ? null : PaperEcgAugmentationOptions.Default,
            };
            PaperEcgImage image = new PaperEcgRenderer(options).Render(ecg, seed ?? 0);
            image.SavePng(path);
            if (parseResult.GetValue(boxes) is string boxPath)
            {
                image.SaveLeadBoxesJson(boxPath);
            }

            AnsiConsole.MarkupLineInterpolated($"Rendered {ecg.Metadata.Id ?? "record"} ({image.Width}×{image.Height} px{(seed is null ? "" : $", augmented with seed {seed}")}) to [bold]{path}[/].");
            return 0;
        });
        return command;
    }
}
