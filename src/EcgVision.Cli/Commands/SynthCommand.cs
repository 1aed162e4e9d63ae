using System.CommandLine;
using EcgVision.Signals.PtbXl;
using EcgVision.Signals.Synthetic;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision synth --count N --seed S --out DIR</c>: writes the built-in synthetic paired ECG–report corpus as a PTB-XL-style tree.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Number of records to generate.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same corpus, byte for byte.", DefaultValueFactory = _ => 1 };
        var rate = new Option<int>("--rate") { Description = "Sampling rate in Hz: 100 (records100/…_lr) or 500 (records500/…_hr).", DefaultValueFactory = _ => 100 };
        var output = new Option<string>("--out") { Description = "Output folder (created; PTB-XL layout: ptbxl_database.csv, scp_statements.csv, recordsNNN/).", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace records that already exist in the output folder." };
        var command = new Command("synth", "Generate the synthetic 12-lead ECG corpus with free-text reports and SCP codes, written as WFDB records plus PTB-XL-style CSVs.");
        command.Options.Add(count);
        command.Options.Add(seed);
        command.Options.Add(rate);
        command.Options.Add(output);
        command.Options.Add(overwrite);
        CliCommand.SetHandler(command, parseResult =>
        {
            int n = parseResult.GetValue(count);
            int hz = parseResult.GetValue(rate);
            string root = parseResult.GetValue(output)!;
            if (n < 1)
            {
                throw new ArgumentException($"--count must be at least 1 (got {n}).");
            }

            if (hz is not (100 or 500))
            {
                throw new ArgumentException($"--rate must be 100 or 500 (got {hz}).");
            }

            var options = new SyntheticCorpusOptions
            {
                Ecg = new SyntheticEcgOptions { SamplingRate = hz },
                MaxDegreeOfParallelism = Environment.ProcessorCount,
            };
            IReadOnlyList<SyntheticEcg> corpus = [];
            int written = 0;
            AnsiConsole.Progress().AutoClear(false).Start(ctx =>
            {
                var generate = ctx.AddTask($"Generating {n} records", maxValue: 1);
                corpus = SyntheticEcgCorpus.Generate(n, parseResult.GetValue(seed), options);
                generate.Increment(1);
                var write = ctx.AddTask("Writing WFDB + CSV", maxValue: 1);
                written = PtbXlWriter.Write(
                    root,
                    corpus.Select(e => e.Record),
                    SyntheticCondition.All.Select(c => c.ToScpStatement()),
                    new PtbXlWriterOptions { Overwrite = parseResult.GetValue(overwrite) });
                write.Increment(1);
            });

            var counts = corpus.SelectMany(e => e.Record.Metadata.Superclasses).GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal);
            var table = new Table().AddColumn("superclass").AddColumn(new TableColumn("records").RightAligned());
            foreach (var g in counts)
            {
                table.AddRow(g.Key, g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"Wrote {written} records to [bold]{Path.GetFullPath(root)}[/] ({hz} Hz). Read it back with PtbXlDataset.Open or `ecgvision inspect`.");
            return 0;
        });
        return command;
    }
}
