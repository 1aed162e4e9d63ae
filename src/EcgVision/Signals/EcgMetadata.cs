namespace EcgVision.Signals;

/// <summary>Biological sex as recorded with an ECG.</summary>
public enum Sex
{
    /// <summary>Not recorded.</summary>
    Unknown = 0,
    /// <summary>Male.</summary>
    Male = 1,
    /// <summary>Female.</summary>
    Female = 2,
}

/// <summary>Optional descriptive data carried with an <see cref="EcgRecord"/>: identifiers, demographics, the free-text report and diagnostic codes.</summary>
/// <remarks>All members are optional. Codes follow the SCP-ECG statement names used by PTB-XL (e.g. <c>NORM</c>, <c>IMI</c>, <c>AFIB</c>) with a likelihood in percent (0–100).</remarks>
public sealed record EcgMetadata
{
    // Declared before Empty: static initialisers run in textual order.
    private static readonly IReadOnlyDictionary<string, double> EmptyCodes = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase).AsReadOnly();
    private static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase).AsReadOnly();

    /// <summary>An empty metadata instance.</summary>
    public static EcgMetadata Empty { get; } = new();

    /// <summary>The record identifier (e.g. PTB-XL's <c>ecg_id</c> or a WFDB record name).</summary>
    public string? Id { get; init; }

    /// <summary>The patient identifier, used to keep a patient's records on one side of a split.</summary>
    public string? PatientId { get; init; }

    /// <summary>Age in years at acquisition.</summary>
    public double? Age { get; init; }

    /// <summary>Biological sex.</summary>
    public Sex Sex { get; init; }

    /// <summary>The free-text diagnostic report.</summary>
    public string? Report { get; init; }

    /// <summary>Diagnostic statement codes mapped to their likelihood in percent (0–100).</summary>
    public IReadOnlyDictionary<string, double> Codes { get; init; } = EmptyCodes;

    /// <summary>Diagnostic superclasses (PTB-XL: NORM, MI, STTC, CD, HYP) derived from <see cref="Codes"/>.</summary>
    public IReadOnlyList<string> Superclasses { get; init; } = [];

    /// <summary>Diagnostic subclasses (PTB-XL's <c>diagnostic_subclass</c>, e.g. IMI, LVH) derived from <see cref="Codes"/>.</summary>
    public IReadOnlyList<string> Subclasses { get; init; } = [];

    /// <summary>When the ECG was acquired, when known.</summary>
    public DateTimeOffset? AcquisitionTime { get; init; }

    /// <summary>Where the record came from (a file path, a dataset name and fold, a device).</summary>
    public string? Source { get; init; }

    /// <summary>Free-form comment lines (e.g. WFDB <c>#</c> header comments), in file order.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Further named values (device measurements, dataset columns such as <c>strat_fold</c>).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyProperties;

}
