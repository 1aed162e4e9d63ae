namespace EcgVision.Signals.PtbXl;

/// <summary>One SCP-ECG statement of PTB-XL's <c>scp_statements.csv</c>: its code, description, kind flags and diagnostic hierarchy.</summary>
/// <remarks>PTB-XL groups the diagnostic statements (<see cref="Diagnostic"/>) into 5 superclasses (NORM, MI, STTC, CD, HYP) and 23 subclasses.</remarks>
public sealed record ScpStatement
{
    /// <summary>The statement code (first, unnamed column), e.g. <c>NORM</c>, <c>IMI</c>, <c>SR</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Short description, e.g. <c>normal ECG</c>.</summary>
    public string Description { get; init; } = "";

    /// <summary>Whether it is a diagnostic statement (column <c>diagnostic</c> = 1).</summary>
    public bool Diagnostic { get; init; }

    /// <summary>Whether it is a form statement (column <c>form</c> = 1).</summary>
    public bool Form { get; init; }

    /// <summary>Whether it is a rhythm statement (column <c>rhythm</c> = 1).</summary>
    public bool Rhythm { get; init; }

    /// <summary>Diagnostic superclass (column <c>diagnostic_class</c>, e.g. <c>MI</c>), for diagnostic statements.</summary>
    public string? DiagnosticClass { get; init; }

    /// <summary>Diagnostic subclass (column <c>diagnostic_subclass</c>, e.g. <c>IMI</c>), for diagnostic statements.</summary>
    public string? DiagnosticSubclass { get; init; }

    /// <summary>The statement category (column <c>Statement Category</c>), when present.</summary>
    public string? StatementCategory { get; init; }
}

/// <summary>The recommended PTB-XL split by <c>strat_fold</c>.</summary>
public enum PtbXlSplit
{
    /// <summary>Folds 1–8.</summary>
    Train = 0,

    /// <summary>Fold 9.</summary>
    Validation = 1,

    /// <summary>Fold 10.</summary>
    Test = 2,
}

/// <summary>What <see cref="PtbXlDataset.Open"/> does with a CSV row whose record file (at the chosen rate) does not exist.</summary>
public enum MissingRecordPolicy
{
    /// <summary>Throw an <see cref="EcgFormatException"/> naming the row, the ecg_id and the missing file (default).</summary>
    Throw = 0,

    /// <summary>Leave the row out of <see cref="PtbXlDataset.Entries"/>.</summary>
    Skip = 1,

    /// <summary>Keep the row; <see cref="PtbXlEntry.RecordExists"/> is <see langword="false"/> and <see cref="PtbXlEntry.LoadRecord"/> throws.</summary>
    Include = 2,
}

/// <summary>Options for <see cref="PtbXlDataset.Open"/>.</summary>
public sealed record PtbXlOptions
{
    /// <summary>Which waveforms entries load: 100 (<c>records100</c>, <c>filename_lr</c>, default) or 500 Hz (<c>records500</c>, <c>filename_hr</c>).</summary>
    public int SamplingRate { get; init; } = 100;

    /// <summary>What to do with rows whose record file is absent (default <see cref="MissingRecordPolicy.Throw"/>).</summary>
    public MissingRecordPolicy MissingRecordPolicy { get; init; } = MissingRecordPolicy.Throw;

    /// <summary>Largest metadata CSV accepted, in bytes (default 256 MiB; the full PTB-XL file is 6.6 MB).</summary>
    public long MaxCsvBytes { get; init; } = 256L << 20;
}
