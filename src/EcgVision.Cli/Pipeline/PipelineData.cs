using System.Globalization;
using EcgVision.Encoding;
using EcgVision.Signals;
using EcgVision.Signals.PtbXl;

namespace EcgVision.Cli.Pipeline;

/// <summary>Loading and splitting the record sets the pipeline commands work on.</summary>
internal static class PipelineData
{
    /// <summary>Splits records by their <c>strat_fold</c> property the PTB-XL way: folds 1–8 train, 9 validation, 10 test (no fold → train).</summary>
    public static RecordSplit SplitByFold(IEnumerable<EcgRecord> records)
    {
        var split = new RecordSplit([], [], []);
        foreach (var r in records)
        {
            int fold = r.Metadata.Properties.TryGetValue("strat_fold", out var f) && int.TryParse(f, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : 1;
            (fold == 10 ? split.Test : fold == 9 ? split.Validation : split.Train).Add(r);
        }

        return split;
    }

    /// <summary>Loads a PTB-XL-layout folder (a PTB-XL download or the output of <c>ecgvision synth</c>) with its standard folds.</summary>
    /// <param name="root">The folder holding <c>ptbxl_database.csv</c>.</param>
    /// <param name="maxRecords">Load at most this many records per split (0 = all).</param>
    /// <param name="onRecord">Called after each record is loaded, with the running count and the total.</param>
    public static RecordSplit LoadPtbXl(string root, int maxRecords = 0, Action<int, int>? onRecord = null)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"--data folder '{root}' does not exist.");
        }

        var dataset = PtbXlDataset.Open(root);
        var parts = new[] { PtbXlSplit.Train, PtbXlSplit.Validation, PtbXlSplit.Test }
            .Select(s => dataset.Split(s).Where(e => e.RecordExists && !string.IsNullOrWhiteSpace(e.Report)))
            .Select(e => maxRecords > 0 ? e.Take(maxRecords).ToArray() : e.ToArray())
            .ToArray();
        int total = parts.Sum(p => p.Length), done = 0;
        if (total == 0)
        {
            throw new InvalidDataException($"--data folder '{root}' lists no records with a report and a waveform file.");
        }

        List<EcgRecord> Load(PtbXlEntry[] entries) => entries.Select(e =>
        {
            var record = e.LoadRecord();
            onRecord?.Invoke(Interlocked.Increment(ref done), total);
            return record;
        }).ToList();

        return new RecordSplit(Load(parts[0]), Load(parts[1]), Load(parts[2]));
    }

    /// <summary>Picks a split by name: train, validation, test or all.</summary>
    public static List<EcgRecord> Select(RecordSplit split, string name) => name.ToLowerInvariant() switch
    {
        "train" => split.Train,
        "validation" => split.Validation,
        "test" => split.Test,
        "all" => [.. split.Train, .. split.Validation, .. split.Test],
        _ => throw new ArgumentException($"--split must be train, validation, test or all (got '{name}')."),
    };

    /// <summary>Creates the signal image source named on the command line.</summary>
    public static IEcgImageSource CreateSource(string encoding, int size) => encoding.ToLowerInvariant() switch
    {
        "qiu" => new QiuImageSource(size),
        "multilead" => new MultiLeadImageSource(size, Math.Min(32, size)),
        _ => throw new ArgumentException($"--encoding must be 'qiu' or 'multilead' (got '{encoding}')."),
    };
}

/// <summary>Train / validation / test record lists.</summary>
internal sealed record RecordSplit(List<EcgRecord> Train, List<EcgRecord> Validation, List<EcgRecord> Test);
