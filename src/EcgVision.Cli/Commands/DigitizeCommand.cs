using System.CommandLine;
using System.Text.Json;
using EcgVision.Imaging.Digitization;
using EcgVision.Signals.Wfdb;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision digitize &lt;image&gt; --out &lt;record-base-path&gt; [--rate 100|500] [--json]</c>: paper-ECG image → WFDB record.</summary>
internal static class DigitizeCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "A PNG or JPEG photo, scan or rendering of a 12-lead paper ECG (3×4 + lead II rhythm strip, 25 mm/s, 10 mm/mV)." };
        var output = new Option<string>("--out") { Description = "The WFDB record to write, as a base path without extension (writes <path>.hea and <path>.dat, format 16).", Required = true };
        var rate = new Option<int>("--rate") { Description = "Output sampling rate in Hz: 100 or 500.", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "Print rotation, scale, confidence, lead windows and warnings as one JSON object." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing record at --out." };
        var command = new Command("digitize", "Digitise a paper-ECG image back into a 12-lead signal and write it as a WFDB record (unprinted samples are the invalid-sample value).");
        command.Arguments.Add(image);
        foreach (Option o in new Option[] { output, rate, json, overwrite })
        {
            command.Options.Add(o);
        }

        CliCommand.SetHandler(command, parseResult =>
        {
            int hz = parseResult.GetValue(rate);
            if (hz is not (100 or 500))
            {
                throw new ArgumentException($"--rate must be 100 or 500 (got {hz}).");
            }

            string basePath = Path.GetFullPath(parseResult.GetValue(output)!);
            string directory = Path.GetDirectoryName(basePath)!;
            string name = Path.GetFileName(basePath);
            if (name.EndsWith(".hea", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".dat", StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^4];
            }

            var digitizer = new PaperEcgDigitizer(new PaperEcgDigitizerOptions { SamplingRate = hz });
            PaperEcgDigitization result = digitizer.Digitize(parseResult.GetValue(image)!);
            WfdbWriter.Write(result.Record, directory, name, new WfdbWriteOptions
            {
                Format = WfdbFormat.Format16,
                OutOfRange = WfdbOutOfRangePolicy.Clip,
                Overwrite = parseResult.GetValue(overwrite),
            });
            string written = Path.Combine(directory, name);
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    record = written,
                    samplingRate = hz,
                    rotationDegrees = Math.Round(result.RotationDegrees, 3),
                    pixelsPerMillimeter = Math.Round(result.PixelsPerMillimeter, 4),
                    confidence = Math.Round(result.Confidence, 4),
                    leadWindows = result.LeadWindows.Select(w => new { lead = w.Lead, start = w.StartSample, end = w.EndSampleExclusive }),
                    warnings = result.Warnings,
                }));
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Digitised to [bold]{written}[/] (.hea/.dat, {hz} Hz).");
            AnsiConsole.MarkupLineInterpolated($"Rotation {CliCommand.Inv(result.RotationDegrees)}°, {CliCommand.Inv(result.PixelsPerMillimeter)} px/mm, confidence {CliCommand.Inv(result.Confidence)}.");
            var table = new Table().AddColumns("Lead", "Start sample", "End sample (excl.)");
            foreach (DigitizedLeadWindow w in result.LeadWindows)
            {
                table.AddRow(Markup.Escape(w.Lead), w.StartSample.ToString(System.Globalization.CultureInfo.InvariantCulture), w.EndSampleExclusive.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            foreach (string w in result.Warnings)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {w}");
            }

            return 0;
        });
        return command;
    }
}
