using EcgVision.Signals.Formats;
using EcgVision.Signals.PtbXl;
using EcgVision.Signals.Wfdb;

namespace EcgVision.Signals;

/// <summary>Options for <see cref="EcgRecordLoader.Load(string, EcgRecordLoaderOptions?)"/>.</summary>
public sealed record EcgRecordLoaderOptions
{
    /// <summary>Whether a record inside a PTB-XL tree (an ancestor folder holds <c>ptbxl_database.csv</c>) gets its row's report, codes, classes and fold (default <see langword="true"/>).</summary>
    public bool AttachDatasetMetadata { get; init; } = true;

    /// <summary>WFDB read options; <see langword="null"/> for the defaults.</summary>
    public WfdbReadOptions? Wfdb { get; init; }
}

/// <summary>Opens an ECG record file of any supported format, so commands and applications share one entry point.</summary>
/// <remarks>
/// WFDB is recognised by its header (a <c>.hea</c> file, a record path without extension, or a <c>.dat</c>/<c>.mat</c> signal file next to
/// its header); every other file goes to <see cref="EcgFile.Read(string)"/>, which detects the clinical format from the content.
/// </remarks>
public static class EcgRecordLoader
{
    /// <summary>The formats <see cref="Load(string, EcgRecordLoaderOptions?)"/> understands, for messages and help text.</summary>
    public static IReadOnlyList<string> SupportedFormats { get; } =
        ["WFDB (.hea + .dat/.mat)", "clinical exports detected from their content by EcgFile (see docs/clinical-formats.md)"];

    /// <summary>Loads a record.</summary>
    /// <param name="path">The record file (or a WFDB record path without extension).</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <returns>The record, in millivolts, with metadata.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="NotSupportedException">The file is not in a supported format.</exception>
    /// <exception cref="EcgFormatException">The file is malformed.</exception>
    public static EcgRecord Load(string path, EcgRecordLoaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new EcgRecordLoaderOptions();
        string full = Path.GetFullPath(path);
        if (!IsWfdb(full))
        {
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"ECG record '{path}' does not exist (nor does '{full}.hea').", full);
            }

            // Clinical formats are recognised from their content, not their file name.
            using (var stream = File.OpenRead(full))
            {
                if (EcgFile.DetectFormat(stream) == EcgFileFormat.Unknown)
                {
                    throw new NotSupportedException($"'{path}' is not in a supported ECG format; supported: {string.Join(", ", SupportedFormats)}.");
                }
            }

            return EcgFile.Read(full);
        }

        var record = WfdbReader.Read(full, options.Wfdb);
        if (options.AttachDatasetMetadata && PtbXlDataset.TryFindEntryForRecord(full) is PtbXlEntry entry)
        {
            if (record.HasStandardTwelveLeads && record.LeadCount == 12)
            {
                record = record.ToStandardTwelveLead();
            }

            record = record.WithMetadata(PtbXlEntry.Merge(record.Metadata, entry.ToMetadata()));
        }

        return record;
    }

    private static bool IsWfdb(string full)
    {
        if (full.EndsWith(".hea", StringComparison.OrdinalIgnoreCase))
        {
            return true; // the WFDB reader reports a missing header itself
        }

        if (File.Exists(full + ".hea"))
        {
            return true;
        }

        string ext = Path.GetExtension(full);
        return ext.Length > 0 && File.Exists(Path.ChangeExtension(full, ".hea"));
    }
}
