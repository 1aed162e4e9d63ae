using System.CommandLine;
using EcgVision.Encoding;
using EcgVision.Imaging.Io;
using EcgVision.Signals;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision encode &lt;record&gt; --method gasf|gadf|mtf|rp|qiu|paper --size N --out file.png|file.npy</c>.</summary>
internal static class EncodeCommand
{
    /// <summary>The method names the tool accepts, mapped to the composer's methods (<c>qiu</c> and <c>paper</c> are presets).</summary>
    internal static readonly IReadOnlyDictionary<string, ImageEncodingMethod[]> Methods = new Dictionary<string, ImageEncodingMethod[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["gasf"] = [ImageEncodingMethod.GramianAngularSummationField],
        ["gadf"] = [ImageEncodingMethod.GramianAngularDifferenceField],
        ["mtf"] = [ImageEncodingMethod.MarkovTransitionField],
        ["rp"] = [ImageEncodingMethod.RecurrencePlot],
        ["paper"] = [ImageEncodingMethod.GramianAngularSummationField, ImageEncodingMethod.RecurrencePlot, ImageEncodingMethod.MarkovTransitionField],
    };

    public static Command Create()
    {
        var record = new Argument<string>("record") { Description = "The ECG record (WFDB record path or a clinical export: aECG, MUSE, EDF, …)." };
        var method = new Option<string>("--method") { Description = "gasf | gadf | mtf | rp (one channel, 12 leads tiled 3×4) | paper (GASF, RP, MTF as 3 channels, tiled) | qiu (the Qiu et al. preset: one beat per lead).", DefaultValueFactory = _ => "qiu" };
        var size = new Option<int>("--size") { Description = "Output side length in pixels.", DefaultValueFactory = _ => 224 };
        var tile = new Option<int>("--tile") { Description = "Per-lead image size before tiling (via PAA), for gasf/gadf/mtf/rp/paper.", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out") { Description = "Output file: .png (colormap for one channel, RGB for three) or .npy (float32 [C, H, W]).", Required = true };
        var command = new Command("encode", "Encode a 12-lead record as an image (Gramian angular field, Markov transition field, recurrence plot, or the Qiu preset) and save it as PNG or .npy.");
        command.Arguments.Add(record);
        command.Options.Add(method);
        command.Options.Add(size);
        command.Options.Add(tile);
        command.Options.Add(output);
        CliCommand.SetHandler(command, parseResult =>
        {
            string name = parseResult.GetValue(method)!;
            int side = parseResult.GetValue(size);
            string path = parseResult.GetValue(output)!;
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext is not (".png" or ".npy"))
            {
                throw new ArgumentException($"--out must end in .png or .npy (got '{path}').");
            }

            EcgRecord ecg = EcgRecordLoader.Load(parseResult.GetValue(record)!).ToStandardTwelveLead();
            (float[] image, int c, int h, int w) = Encode(ecg, name, side, parseResult.GetValue(tile));
            if (ext == ".png")
            {
                EcgImageWriter.SavePng(image, c, h, w, path);
            }
            else
            {
                EcgImageWriter.SaveNpy(image, c, h, w, path);
            }

            AnsiConsole.MarkupLineInterpolated($"Wrote {name} image [[{c}, {h}, {w}]] of {ecg.Metadata.Id ?? "record"} to [bold]{path}[/].");
            return 0;
        });
        return command;
    }

    /// <summary>Encodes a 12-lead record with a named method (shared by <c>encode</c> and the demo).</summary>
    internal static (float[] Image, int Channels, int Height, int Width) Encode(EcgRecord record, string method, int size, int tile)
    {
        if (string.Equals(method, "qiu", StringComparison.OrdinalIgnoreCase))
        {
            var qiu = new QiuImageEncoder(new QiuImageOptions { OutputSize = size });
            return (qiu.EncodeRecord(record), 3, size, size);
        }

        if (!Methods.TryGetValue(method, out var methods))
        {
            throw new ArgumentException($"--method must be one of qiu, {string.Join(", ", Methods.Keys)} (got '{method}').");
        }

        var composer = new MultiLeadImageComposer(new MultiLeadImageOptions { Methods = methods, ImageSize = tile, OutputSize = size });
        var (c, h, w) = composer.GetOutputShape(record.LeadCount, record.SampleCount);
        return (composer.Encode(record), c, h, w);
    }
}
