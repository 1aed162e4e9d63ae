using System.Globalization;
using EcgVision.Signals.Wfdb;

namespace EcgVision.Signals.PtbXl;

/// <summary>One row of PTB-XL's <c>ptbxl_database.csv</c>, with the diagnostic classes derived from <c>scp_statements.csv</c>.</summary>
/// <remarks>The waveform is not read until <see cref="LoadRecord"/> is called.</remarks>
public sealed class PtbXlEntry
{
    internal PtbXlEntry(string root, int samplingRate)
    {
        Root = root;
        SamplingRate = samplingRate;
    }

    /// <summary>The dataset root folder (the one holding <c>ptbxl_database.csv</c>).</summary>
    public string Root { get; }

    /// <summary>The sampling rate (100 or 500 Hz) whose record <see cref="LoadRecord"/> reads.</summary>
    public int SamplingRate { get; }

    /// <summary>Column <c>ecg_id</c>.</summary>
    public required int EcgId { get; init; }

    /// <summary>Column <c>patient_id</c> (PTB-XL writes it as a float, e.g. <c>15709.0</c>; stored here as <c>15709</c>).</summary>
    public string? PatientId { get; init; }

    /// <summary>Column <c>age</c> in years (PTB-XL writes ages above 89 as 300, kept as is).</summary>
    public double? Age { get; init; }

    /// <summary>Column <c>sex</c>: 0 = male, 1 = female.</summary>
    public Sex Sex { get; init; }

    /// <summary>Column <c>report</c>: the free-text report (German, English or Swedish).</summary>
    public string Report { get; init; } = "";

    /// <summary>Column <c>scp_codes</c>: SCP statement code → likelihood in percent, in file order.</summary>
    public IReadOnlyDictionary<string, double> ScpCodes { get; init; } = new Dictionary<string, double>();

    /// <summary>Diagnostic superclasses of the codes (statements with <c>diagnostic</c> = 1), in code order, without repeats.</summary>
    public IReadOnlyList<string> Superclasses { get; init; } = [];

    /// <summary>Diagnostic subclasses of the codes (statements with <c>diagnostic</c> = 1), in code order, without repeats.</summary>
    public IReadOnlyList<string> Subclasses { get; init; } = [];

    /// <summary>Column <c>strat_fold</c> (1–10, patient-wise), when given.</summary>
    public int? StratFold { get; init; }

    /// <summary>Column <c>filename_lr</c>, e.g. <c>records100/00000/00001_lr</c>.</summary>
    public string? FilenameLr { get; init; }

    /// <summary>Column <c>filename_hr</c>, e.g. <c>records500/00000/00001_hr</c>.</summary>
    public string? FilenameHr { get; init; }

    /// <summary>Column <c>recording_date</c>, when given.</summary>
    public DateTime? RecordingDate { get; init; }

    /// <summary>Every column of the row as written in the CSV (column name → raw text).</summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>();

    /// <summary>The record path without extension for <see cref="SamplingRate"/>, or <see langword="null"/> when the row names none.</summary>
    public string? RecordPath => (SamplingRate == 500 ? FilenameHr : FilenameLr) is { Length: > 0 } f
        ? Path.GetFullPath(Path.Combine(Root, f))
        : null;

    /// <summary>Whether the record's <c>.hea</c> file exists.</summary>
    public bool RecordExists => RecordPath is string p && File.Exists(p + ".hea");

    /// <summary>The entry's metadata as an <see cref="EcgMetadata"/> (Id = ecg_id; Properties hold <c>strat_fold</c>, <c>patient_id</c> and the other non-empty columns).</summary>
    /// <returns>The metadata.</returns>
    public EcgMetadata ToMetadata()
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Columns)
        {
            if (value.Length > 0 && key is not ("report" or "scp_codes"))
            {
                properties[key] = value;
            }
        }

        properties["ecg_id"] = EcgId.ToString(CultureInfo.InvariantCulture);
        if (StratFold is int fold)
        {
            properties["strat_fold"] = fold.ToString(CultureInfo.InvariantCulture);
        }

        return new EcgMetadata
        {
            Id = EcgId.ToString(CultureInfo.InvariantCulture),
            PatientId = PatientId,
            Age = Age,
            Sex = Sex,
            Report = Report,
            Codes = ScpCodes,
            Superclasses = Superclasses,
            Subclasses = Subclasses,
            AcquisitionTime = RecordingDate is DateTime d ? new DateTimeOffset(d, TimeSpan.Zero) : null,
            Source = RecordPath is string p ? p + ".hea" : Root,
            Properties = properties.AsReadOnly(),
        };
    }

    /// <summary>Reads the waveform (at <see cref="SamplingRate"/>) with this entry's metadata, leads in the standard order I, II, III, aVR, aVL, aVF, V1–V6.</summary>
    /// <param name="options">WFDB read options; <see langword="null"/> for the defaults.</param>
    /// <returns>A new record; each call reads the files again.</returns>
    /// <exception cref="FileNotFoundException">The record does not exist.</exception>
    /// <exception cref="EcgFormatException">The record is malformed.</exception>
    public EcgRecord LoadRecord(WfdbReadOptions? options = null)
    {
        string path = RecordPath ?? throw new FileNotFoundException(
            $"ecg_id {EcgId} has no {(SamplingRate == 500 ? "filename_hr" : "filename_lr")} in '{Path.Combine(Root, PtbXlDataset.DatabaseFileName)}'.");
        var record = WfdbReader.Read(path, options);
        if (record.HasStandardTwelveLeads && record.LeadCount == 12)
        {
            record = record.ToStandardTwelveLead();
        }

        return record.WithMetadata(Merge(record.Metadata, ToMetadata()));
    }

    internal static EcgMetadata Merge(EcgMetadata fromFile, EcgMetadata fromDataset)
    {
        // Header comments such as "Height: Unknown" must not shadow the dataset's own columns of the same name.
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in fromFile.Properties)
        {
            if (!PtbXlWriter.DatabaseColumns.Contains(k, StringComparer.OrdinalIgnoreCase))
            {
                properties[k] = v;
            }
        }

        foreach (var (k, v) in fromDataset.Properties)
        {
            properties[k] = v;
        }

        return fromDataset with
        {
            Age = fromDataset.Age ?? fromFile.Age,
            Sex = fromDataset.Sex != Sex.Unknown ? fromDataset.Sex : fromFile.Sex,
            AcquisitionTime = fromDataset.AcquisitionTime ?? fromFile.AcquisitionTime,
            Source = fromFile.Source ?? fromDataset.Source,
            Comments = fromFile.Comments,
            Properties = properties.AsReadOnly(),
        };
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"PtbXlEntry({EcgId}: fold {StratFold?.ToString(CultureInfo.InvariantCulture) ?? "?"}, {string.Join("/", Superclasses)}, {Report})";
}
