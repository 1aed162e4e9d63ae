using System.Globalization;
using EcgVision.Signals;
using EcgVision.Signals.PtbXl;
using EcgVision.Signals.Synthetic;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>Train / validation / test records for an <see cref="EcgCaseRetrievalSystem"/>, split the PTB-XL way by <c>strat_fold</c>.</summary>
/// <param name="Train">Folds 1–8 (and records without a fold): training data and the searchable archive.</param>
/// <param name="Validation">Fold 9.</param>
/// <param name="Test">Fold 10: held-out queries.</param>
public sealed record CaseRecordSplit(IReadOnlyList<EcgRecord> Train, IReadOnlyList<EcgRecord> Validation, IReadOnlyList<EcgRecord> Test)
{
    /// <summary>Splits records by their <c>Metadata.Properties["strat_fold"]</c>: 1–8 (or absent) → train, 9 → validation, 10 → test.</summary>
    /// <param name="records">The records.</param>
    /// <returns>The split, each part in input order.</returns>
    /// <exception cref="ArgumentException">A record is null or its <c>strat_fold</c> is not an integer (the message names the record).</exception>
    public static CaseRecordSplit ByStratFold(IEnumerable<EcgRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        List<EcgRecord> train = [], validation = [], test = [];
        int i = 0;
        foreach (var r in records)
        {
            if (r is null)
            {
                throw new ArgumentException($"records[{i}] is null.", nameof(records));
            }

            int fold = 1;
            if (r.Metadata.Properties.TryGetValue("strat_fold", out var f) && !int.TryParse(f, NumberStyles.Integer, CultureInfo.InvariantCulture, out fold))
            {
                throw new ArgumentException($"Record '{r.Metadata.Id}' has strat_fold '{f}', which is not an integer.", nameof(records));
            }

            (fold == 10 ? test : fold == 9 ? validation : train).Add(r);
            i++;
        }

        return new CaseRecordSplit(train, validation, test);
    }

    /// <summary>Generates the synthetic paired ECG/report corpus and splits it by its <c>strat_fold</c>.</summary>
    /// <param name="count">Records to generate (at least 1).</param>
    /// <param name="seed">Corpus seed; the same seed gives the same records.</param>
    /// <param name="options">Corpus options; <see langword="null"/> for 100 Hz, 10 s, all cores.</param>
    /// <returns>The split.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static CaseRecordSplit FromSynthetic(int count, int seed, SyntheticCorpusOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        options ??= new SyntheticCorpusOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        return ByStratFold(SyntheticEcgCorpus.Generate(count, seed, options).Select(e => e.Record));
    }

    /// <summary>Loads a PTB-XL-layout folder (a PTB-XL download or <c>ecgvision synth</c> output) with its standard folds.</summary>
    /// <param name="root">The folder holding <c>ptbxl_database.csv</c>.</param>
    /// <param name="maxPerSplit">Load at most this many records per split; 0 for all.</param>
    /// <param name="progress">Receives (records loaded, records to load) after each record.</param>
    /// <returns>The split; rows without a report or without a waveform file are left out.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No row has both a report and a waveform file.</exception>
    /// <exception cref="EcgFormatException">The CSV or a record is malformed (the message names the file).</exception>
    public static CaseRecordSplit FromPtbXl(string root, int maxPerSplit = 0, IProgress<(int Loaded, int Total)>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerSplit);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"PTB-XL folder '{root}' does not exist.");
        }

        // Subsets and partial downloads list rows whose waveforms are absent: use the records that exist.
        var dataset = PtbXlDataset.Open(root, new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Skip });
        var parts = new[] { PtbXlSplit.Train, PtbXlSplit.Validation, PtbXlSplit.Test }
            .Select(s => dataset.Split(s).Where(e => e.RecordExists && !string.IsNullOrWhiteSpace(e.Report)))
            .Select(e => maxPerSplit > 0 ? e.Take(maxPerSplit).ToArray() : e.ToArray())
            .ToArray();
        int total = parts.Sum(p => p.Length), done = 0;
        if (total == 0)
        {
            throw new InvalidDataException($"PTB-XL folder '{root}' lists no records with both a report and a waveform file.");
        }

        EcgRecord[] Load(PtbXlEntry[] entries) => entries.Select(e =>
        {
            var record = e.LoadRecord();
            progress?.Report((++done, total));
            return record;
        }).ToArray();

        return new CaseRecordSplit(Load(parts[0]), Load(parts[1]), Load(parts[2]));
    }
}
