using EcgVision.Encoding;
using EcgVision.Signals;
using EcgVision.Torch.CaseRetrieval;

namespace EcgVision.Cli.Pipeline;

/// <summary>Loading and splitting the record sets the pipeline commands work on.</summary>
internal static class PipelineData
{
    /// <summary>Draft-report settings with readable statement texts: the synthetic catalogue's descriptions (PTB-XL wording).</summary>
    public static EcgVision.Retrieval.ReportDrafterOptions Drafter { get; } = new()
    {
        CodeDescriptions = EcgVision.Signals.Synthetic.SyntheticCondition.All.ToDictionary(c => c.Code, c => c.Description, StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>Options for loading a saved system in the tool (readable draft statements).</summary>
    public static EcgVision.Torch.CaseRetrieval.EcgCaseRetrievalOptions LoadOptions { get; } = new() { Drafter = Drafter };

    /// <summary>Splits records by their <c>strat_fold</c> property (see <see cref="CaseRecordSplit.ByStratFold"/>).</summary>
    public static RecordSplit SplitByFold(IEnumerable<EcgRecord> records) => From(CaseRecordSplit.ByStratFold(records));

    /// <summary>Loads a PTB-XL-layout folder (see <see cref="CaseRecordSplit.FromPtbXl"/>); <paramref name="option"/> names the folder's option in errors.</summary>
    public static RecordSplit LoadPtbXl(string root, int maxRecords = 0, Action<int, int>? onRecord = null, string option = "--data")
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{option} folder '{root}' does not exist.");
        }

        return From(CaseRecordSplit.FromPtbXl(root, maxRecords, onRecord is null ? null : new ActionProgress<(int Loaded, int Total)>(p => onRecord(p.Loaded, p.Total))));
    }

    private static RecordSplit From(CaseRecordSplit split) => new([.. split.Train], [.. split.Validation], [.. split.Test]);

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
        "qiu-printed" => new QiuImageSource(size, QiuBeatSelection.PrintedLayout),
        "multilead" => new MultiLeadImageSource(size, Math.Min(32, size)),
        _ => throw new ArgumentException($"--encoding must be 'qiu', 'qiu-printed' or 'multilead' (got '{encoding}')."),
    };
}

/// <summary>Train / validation / test record lists.</summary>
internal sealed record RecordSplit(List<EcgRecord> Train, List<EcgRecord> Validation, List<EcgRecord> Test);
