using System.Collections.Concurrent;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace EcgVision.Signals.PtbXl;

/// <summary>The PTB-XL dataset (or any folder in its layout): metadata rows from <c>ptbxl_database.csv</c>, SCP statements from <c>scp_statements.csv</c>, and lazily loaded WFDB waveforms.</summary>
/// <remarks>
/// Layout: <c>ROOT/ptbxl_database.csv</c>, <c>ROOT/scp_statements.csv</c>, <c>ROOT/records100/NNNNN/NNNNN_lr.{hea,dat}</c>, <c>ROOT/records500/NNNNN/NNNNN_hr.{hea,dat}</c>.
/// Diagnostic superclasses and subclasses follow the PTB-XL convention: every code of a row whose statement has <c>diagnostic</c> = 1 contributes its
/// <c>diagnostic_class</c> / <c>diagnostic_subclass</c>, whatever its likelihood. Splits follow the authors' recommendation: folds 1–8 train, 9 validation, 10 test.
/// Wagner et al., Scientific Data 7, 154 (2020).
/// </remarks>
public sealed class PtbXlDataset
{
    /// <summary>The metadata file name, <c>ptbxl_database.csv</c>.</summary>
    public const string DatabaseFileName = "ptbxl_database.csv";

    /// <summary>The statements file name, <c>scp_statements.csv</c>.</summary>
    public const string StatementsFileName = "scp_statements.csv";

    private static readonly ConcurrentDictionary<(string Root, DateTime Written, long Length), PtbXlDataset> s_lookupCache = new();
    private const int MaxCachedTrees = 4;
    private readonly Dictionary<int, PtbXlEntry> _byId;
    private readonly Lazy<Dictionary<string, PtbXlEntry>> _byFilename;

    private PtbXlDataset(string root, PtbXlOptions options, IReadOnlyList<PtbXlEntry> entries, IReadOnlyDictionary<string, ScpStatement> statements)
    {
        Root = root;
        Options = options;
        Entries = entries;
        Statements = statements;
        _byFilename = new(() =>
        {
            var map = new Dictionary<string, PtbXlEntry>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                foreach (string? name in (ReadOnlySpan<string?>)[e.FilenameLr, e.FilenameHr])
                {
                    if (name is not null)
                    {
                        map.TryAdd(name, e);
                    }
                }
            }

            return map;
        });
        _byId = new Dictionary<int, PtbXlEntry>(entries.Count);
        foreach (var e in entries)
        {
            _byId.TryAdd(e.EcgId, e);
        }
    }

    /// <summary>The dataset root folder.</summary>
    public string Root { get; }

    /// <summary>The options the dataset was opened with.</summary>
    public PtbXlOptions Options { get; }

    /// <summary>The rows, in file order (rows with missing records left out under <see cref="MissingRecordPolicy.Skip"/>).</summary>
    public IReadOnlyList<PtbXlEntry> Entries { get; }

    /// <summary>The SCP statements by code (case-insensitive).</summary>
    public IReadOnlyDictionary<string, ScpStatement> Statements { get; }

    /// <summary>Opens a PTB-XL folder.</summary>
    /// <param name="root">The folder holding <c>ptbxl_database.csv</c> and <c>scp_statements.csv</c>.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults (100 Hz, throw on missing records).</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">A CSV file is missing.</exception>
    /// <exception cref="EcgFormatException">A CSV file is empty or malformed (the message names the file, row, ecg_id and field), or a record is missing under <see cref="MissingRecordPolicy.Throw"/>.</exception>
    public static PtbXlDataset Open(string root, PtbXlOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        options ??= new PtbXlOptions();
        if (options.SamplingRate is not (100 or 500))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SamplingRate, $"SamplingRate must be 100 or 500 (got {options.SamplingRate}).");
        }

        if (!Enum.IsDefined(options.MissingRecordPolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MissingRecordPolicy, $"MissingRecordPolicy {options.MissingRecordPolicy} is not defined.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCsvBytes, 1, nameof(options));
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"PTB-XL root '{full}' does not exist.");
        }

        var statements = ReadStatements(Path.Combine(full, StatementsFileName), options.MaxCsvBytes);
        var entries = ReadDatabase(full, Path.Combine(full, DatabaseFileName), statements, options);
        return new PtbXlDataset(full, options, entries, statements);
    }

    /// <summary>The entries of one split (train = folds 1–8, validation = 9, test = 10); rows without a fold are in none.</summary>
    /// <param name="split">The split.</param>
    /// <returns>The entries, in file order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not defined.</exception>
    public IReadOnlyList<PtbXlEntry> Split(PtbXlSplit split)
    {
        Func<int, bool> inSplit = split switch
        {
            PtbXlSplit.Train => f => f is >= 1 and <= 8,
            PtbXlSplit.Validation => f => f == 9,
            PtbXlSplit.Test => f => f == 10,
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, $"split must be Train, Validation or Test (got {split})."),
        };
        return Entries.Where(e => e.StratFold is int f && inSplit(f)).ToList().AsReadOnly();
    }

    /// <summary>Looks an entry up by <c>ecg_id</c>.</summary>
    /// <param name="ecgId">The id.</param>
    /// <param name="entry">The entry when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetEntry(int ecgId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PtbXlEntry? entry) => _byId.TryGetValue(ecgId, out entry);

    /// <summary>Finds the entry whose <c>filename_lr</c> or <c>filename_hr</c> names the given record file.</summary>
    /// <param name="recordPath">A record path inside <see cref="Root"/>, with or without extension.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public PtbXlEntry? FindByRecordPath(string recordPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordPath);
        string full = Path.GetFullPath(recordPath);
        string ext = Path.GetExtension(full);
        if (ext is ".hea" or ".dat")
        {
            full = full[..^ext.Length];
        }

        string rel = Path.GetRelativePath(Root, full).Replace('\\', '/');
        return _byFilename.Value.TryGetValue(rel, out var entry) ? entry : null;
    }

    /// <summary>Walks up from a path to the nearest folder holding <c>ptbxl_database.csv</c>.</summary>
    /// <param name="path">A file or folder path.</param>
    /// <returns>The PTB-XL root, or <see langword="null"/> when no ancestor holds the file.</returns>
    public static string? FindRoot(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        for (var dir = new DirectoryInfo(Path.GetFullPath(path)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, DatabaseFileName)) && File.Exists(Path.Combine(dir.FullName, StatementsFileName)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>Finds the PTB-XL entry for a record file when the file lies inside a PTB-XL tree (opened datasets are cached while their CSV is unchanged).</summary>
    /// <param name="recordPath">The record path (with or without extension).</param>
    /// <returns>The entry, or <see langword="null"/> when the file is not inside a PTB-XL tree or has no row.</returns>
    /// <exception cref="EcgFormatException">The tree's CSV files are malformed.</exception>
    public static PtbXlEntry? TryFindEntryForRecord(string recordPath)
    {
        string? root = FindRoot(Path.GetDirectoryName(Path.GetFullPath(recordPath)) ?? recordPath);
        if (root is null)
        {
            return null;
        }

        var info = new FileInfo(Path.Combine(root, DatabaseFileName));
        var key = (root, info.LastWriteTimeUtc, info.Length);
        if (!s_lookupCache.TryGetValue(key, out var dataset))
        {
            // A full PTB-XL table is tens of MB in memory; keep only a few trees (usually one) cached.
            if (s_lookupCache.Count >= MaxCachedTrees)
            {
                s_lookupCache.Clear();
            }

            dataset = s_lookupCache.GetOrAdd(key, _ => Open(root, new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Include }));
        }

        return dataset.FindByRecordPath(recordPath);
    }

    private static CsvReader OpenCsv(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"PTB-XL file '{path}' does not exist.", path);
        }

        if (info.Length > maxBytes)
        {
            throw new EcgFormatException($"size: the file has {info.Length} bytes, more than the limit of {maxBytes} (PtbXlOptions.MaxCsvBytes).", path, "size");
        }

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            MissingFieldFound = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
        };
        return new CsvReader(new StreamReader(path), config);
    }

    private static string[] ReadHeader(CsvReader csv, string path, params string[] required)
    {
        if (!csv.Read())
        {
            throw new EcgFormatException($"header: the file is empty; expected a header row with the columns {string.Join(", ", required)}.", path, "header");
        }

        csv.ReadHeader();
        string[] header = csv.HeaderRecord ?? [];
        foreach (string column in required)
        {
            if (!header.Contains(column, StringComparer.Ordinal))
            {
                throw new EcgFormatException($"{column}: the header row lacks the required column '{column}' (columns: {string.Join(", ", header)}).", path, column);
            }
        }

        return header;
    }

    private static Dictionary<string, ScpStatement> ReadStatements(string path, long maxBytes)
    {
        using var csv = OpenCsv(path, maxBytes);
        string[] header = ReadHeader(csv, path, "description", "diagnostic", "form", "rhythm", "diagnostic_class", "diagnostic_subclass");
        var result = new Dictionary<string, ScpStatement>(StringComparer.OrdinalIgnoreCase);
        int row = 1;
        while (csv.Read())
        {
            row++;
            string code = (csv.GetField(0) ?? "").Trim();
            if (code.Length == 0)
            {
                throw new EcgFormatException($"code: row {row} has an empty statement code in the first column.", path, "code");
            }

            bool Flag(string column)
            {
                string v = (csv.GetField(column) ?? "").Trim();
                if (v.Length == 0)
                {
                    return false;
                }

                if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d is 0 or 1)
                {
                    return d == 1;
                }

                throw new EcgFormatException($"{column}: row {row} (code {code}) must be empty, 0 or 1 (got '{v}').", path, column);
            }

            string? Text(string column) => header.Contains(column) && csv.GetField(column) is { Length: > 0 } s ? s.Trim() : null;
            result[code] = new ScpStatement
            {
                Code = code,
                Description = Text("description") ?? "",
                Diagnostic = Flag("diagnostic"),
                Form = Flag("form"),
                Rhythm = Flag("rhythm"),
                DiagnosticClass = Text("diagnostic_class"),
                DiagnosticSubclass = Text("diagnostic_subclass"),
                StatementCategory = Text("Statement Category"),
            };
        }

        return result;
    }

    private static List<PtbXlEntry> ReadDatabase(string root, string path, Dictionary<string, ScpStatement> statements, PtbXlOptions options)
    {
        using var csv = OpenCsv(path, options.MaxCsvBytes);
        string[] header = ReadHeader(csv, path, "ecg_id", "scp_codes", options.SamplingRate == 500 ? "filename_hr" : "filename_lr");
        var entries = new List<PtbXlEntry>();
        var seen = new HashSet<int>();
        int row = 1;
        while (csv.Read())
        {
            row++;
            var columns = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++)
            {
                columns[header[i]] = csv.GetField(i) ?? "";
            }

            string Get(string column) => columns.TryGetValue(column, out string? v) ? v.Trim() : "";
            string rawId = Get("ecg_id");
            if (!int.TryParse(rawId, NumberStyles.None, CultureInfo.InvariantCulture, out int ecgId) || ecgId < 1)
            {
                throw new EcgFormatException($"ecg_id: row {row} must hold a positive integer (got '{rawId}').", path, "ecg_id");
            }

            if (!seen.Add(ecgId))
            {
                throw new EcgFormatException($"ecg_id: row {row} repeats ecg_id {ecgId}.", path, "ecg_id");
            }

            EcgFormatException Bad(string field, string rule) => new($"{field}: row {row} (ecg_id {ecgId}) {rule}", path, field);

            double? Number(string field)
            {
                string v = Get(field);
                if (v.Length == 0 || v.Equals("nan", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                    ? d
                    : throw Bad(field, $"must be a number (got '{v}').");
            }

            string rawCodes = Get("scp_codes");
            var codes = ScpCodesParser.TryParse(rawCodes, out string why)
                ?? throw Bad("scp_codes", $"must be a Python dict like {{'NORM': 100.0, 'SR': 0.0}}: {why} (got '{(rawCodes.Length > 80 ? rawCodes[..77] + "..." : rawCodes)}').");

            var superclasses = new List<string>();
            var subclasses = new List<string>();
            foreach (string code in codes.Keys)
            {
                if (statements.TryGetValue(code, out var st) && st.Diagnostic)
                {
                    if (st.DiagnosticClass is { } c && !superclasses.Contains(c))
                    {
                        superclasses.Add(c);
                    }

                    if (st.DiagnosticSubclass is { } s && !subclasses.Contains(s))
                    {
                        subclasses.Add(s);
                    }
                }
            }

            double? sexValue = Number("sex");
            Sex sex = sexValue switch
            {
                null => Sex.Unknown,
                0 => Sex.Male,
                1 => Sex.Female,
                _ => throw Bad("sex", $"must be 0 (male) or 1 (female) (got '{Get("sex")}')."),
            };

            double? fold = Number("strat_fold");
            if (fold is double f && (f != Math.Floor(f) || f < 1 || f > 10))
            {
                throw Bad("strat_fold", $"must be an integer from 1 to 10 (got '{Get("strat_fold")}').");
            }

            DateTime? date = null;
            string rawDate = Get("recording_date");
            if (rawDate.Length > 0)
            {
                date = DateTime.TryParse(rawDate, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out DateTime d)
                    ? d
                    : throw Bad("recording_date", $"must be a date like 1984-11-09 09:17:34 (got '{rawDate}').");
            }

            // A record name becomes a path (PtbXlEntry.RecordPath): characters no path may hold (NUL) are a format error here,
            // not an ArgumentException from Path.GetFullPath later (found by fuzzing, see docs/fuzzing.md).
            string? RecordName(string field)
            {
                string value = Get(field);
                if (value.Length == 0)
                {
                    return null;
                }

                int bad = value.IndexOfAny(Path.GetInvalidPathChars());
                return bad < 0
                    ? value
                    : throw Bad(field, $"must be a record path such as records100/00000/00001_lr, but holds the character U+{(int)value[bad]:X4}, which no path may contain.");
            }

            string patient = Get("patient_id");
            if (patient.EndsWith(".0", StringComparison.Ordinal))
            {
                patient = patient[..^2];
            }

            var entry = new PtbXlEntry(root, options.SamplingRate)
            {
                EcgId = ecgId,
                PatientId = patient.Length > 0 ? patient : null,
                Age = Number("age"),
                Sex = sex,
                Report = Get("report"),
                ScpCodes = codes.AsReadOnly(),
                Superclasses = superclasses.AsReadOnly(),
                Subclasses = subclasses.AsReadOnly(),
                StratFold = fold is double sf ? (int)sf : null,
                FilenameLr = RecordName("filename_lr"),
                FilenameHr = RecordName("filename_hr"),
                RecordingDate = date,
                Columns = columns.AsReadOnly(),
            };

            if (options.MissingRecordPolicy != MissingRecordPolicy.Include && !entry.RecordExists)
            {
                if (options.MissingRecordPolicy == MissingRecordPolicy.Skip)
                {
                    continue;
                }

                string field = options.SamplingRate == 500 ? "filename_hr" : "filename_lr";
                throw Bad(field, entry.RecordPath is string rp
                    ? $"names record '{Get(field)}', but '{rp}.hea' does not exist; set PtbXlOptions.MissingRecordPolicy = Skip to leave such rows out."
                    : $"is empty, so the row has no {options.SamplingRate} Hz record; set PtbXlOptions.MissingRecordPolicy = Skip to leave such rows out.");
            }

            entries.Add(entry);
        }

        return entries;
    }
}
