using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EcgVision.Internal;

namespace EcgVision.Signals.Formats;

/// <summary>Which signals <see cref="EdfReader"/> reads.</summary>
public sealed record EdfReaderOptions
{
    /// <summary>Labels of the signals to read (case-insensitive, trimmed), in this order; <see langword="null"/> to choose by <see cref="AllSignals"/>.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>
    /// With no <see cref="Channels"/>: <see langword="false"/> (default) reads the ECG signals only — labels naming a
    /// standard lead (<c>II</c>, <c>ECG V1</c>, <c>EKG aVR</c>) or containing <c>ECG</c>/<c>EKG</c>; <see langword="true"/>
    /// reads every ordinary signal (never the <c>EDF Annotations</c> signal).
    /// </summary>
    public bool AllSignals { get; init; }
}

/// <summary>Reads European Data Format files: EDF and continuous EDF+ (<c>EDF+C</c>).</summary>
/// <remarks>
/// <para>
/// The 256-byte header and the 256-byte signal headers are parsed (ASCII, read as Latin-1 so that vendor bytes such as
/// 0xB0 "°" do not fail), then the data records: per record, per signal, <c>nsamp</c> little-endian int16 values.
/// <c>physical = pmin + (digital − dmin) × (pmax − pmin) / (dmax − dmin)</c>, then converted to mV when the physical
/// dimension is a voltage (uV, mV, V, nV); other dimensions (°, empty) are kept as physical values and named in
/// <c>Properties["EDF.Dimension.&lt;label&gt;"]</c>. The rate of a signal is <c>nsamp / record duration</c>; the selected
/// signals must share it.
/// </para>
/// <para>
/// Before anything is allocated, the header size must be <c>256 × (ns + 1)</c> and the declared
/// <c>records × record size</c> must fit in the stream (a truncated file or a billion-record header fails with the
/// expected and actual sizes). EDF+D (discontinuous) files are rejected. EDF+ annotation signals are parsed, not
/// returned as signals: their texts (TAL onset + text) go to <see cref="EcgMetadata.Comments"/>.
/// </para>
/// <para>
/// Metadata: from EDF+ subfields, <c>PatientId</c> (patient code), <c>Sex</c>, <c>Age</c> (birth date → start date);
/// <c>AcquisitionTime</c> from the start date and time (EDF+ <c>Startdate dd-MMM-yyyy</c> gives the 4-digit year; else
/// the 1985–2084 rule), taken as UTC.
/// </para>
/// </remarks>
public static class EdfReader
{
    private const string AnnotationLabel = "EDF Annotations";
    private const int MaxSignals = 4096;

    /// <summary>Reads the ECG signals (or those chosen by <paramref name="options"/>) of an EDF/EDF+ file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Signal choice; <see langword="null"/> for the ECG signals.</param>
    /// <returns>The record.</returns>
    /// <exception cref="EcgFormatException">The file is not readable EDF, or no signal matches; the message names the file, field and value.</exception>
    public static EcgRecord Read(string path, EdfReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path, options);
    }

    /// <summary>Reads an EDF/EDF+ stream (not disposed; a non-seekable stream is buffered first).</summary>
    /// <param name="stream">The EDF bytes.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <param name="options">Signal choice; <see langword="null"/> for the ECG signals.</param>
    /// <returns>The record.</returns>
    /// <exception cref="EcgFormatException">The stream is not readable EDF, or no signal matches.</exception>
    /// <exception cref="ArgumentException"><see cref="EdfReaderOptions.Channels"/> is an empty list.</exception>
    public static EcgRecord Read(Stream stream, string? nameForMessages = null, EdfReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new EdfReaderOptions();
        if (options.Channels is { Count: 0 })
        {
            throw new ArgumentException("options.Channels must name at least one signal, or be null to select the ECG signals (got an empty list).", nameof(options));
        }

        string source = nameForMessages ?? "stream";
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        long available = stream.Length - stream.Position;
        byte[] main = ReadExactly(stream, 256, source, "header");
        string Field(int offset, int length) => System.Text.Encoding.Latin1.GetString(main, offset, length).Trim();

        if (Field(0, 8) != "0")
        {
            throw new EcgFormatException($"the version field must be '0' (got '{Field(0, 8)}').", source, "version");
        }

        int ns = ParseInt(Field(252, 4), source, "number of signals");
        if (ns < 1 || ns > MaxSignals)
        {
            throw new EcgFormatException($"the number of signals must be between 1 and {MaxSignals} (got {ns}).", source, "number of signals");
        }

        int headerBytes = ParseInt(Field(184, 8), source, "header bytes");
        if (headerBytes != 256 * (ns + 1))
        {
            throw new EcgFormatException($"the header size must be 256 × (signals + 1) = {256 * (ns + 1)} bytes (got {headerBytes}).", source, "header bytes");
        }

        if (available < headerBytes)
        {
            throw new EcgFormatException($"the file is truncated: the header needs {headerBytes} bytes but the file has {available}.", source, "header bytes");
        }

        string reserved = Field(192, 44);
        if (reserved.StartsWith("EDF+D", StringComparison.Ordinal))
        {
            throw new EcgFormatException("EDF+D (discontinuous) recordings are not supported; only EDF and EDF+C.", source, "reserved");
        }

        double recordSeconds = ParseDouble(Field(244, 8), source, "duration of a data record");
        long records = ParseInt(Field(236, 8), source, "number of data records");
        byte[] signalHeader = ReadExactly(stream, 256 * ns, source, "signal headers");
        string[] Column(int offset, int width) =>
            [.. Enumerable.Range(0, ns).Select(i => System.Text.Encoding.Latin1.GetString(signalHeader, (offset * ns) + (i * width), width).Trim())];

        string[] labels = Column(0, 16);
        string[] dims = Column(16 + 80, 8);
        string[] pmin = Column(16 + 80 + 8, 8), pmax = Column(16 + 80 + 16, 8), dmin = Column(16 + 80 + 24, 8), dmax = Column(16 + 80 + 32, 8);
        string[] nsampText = Column(16 + 80 + 40 + 80, 8);
        var nsamp = new int[ns];
        long recordBytes = 0;
        for (int i = 0; i < ns; i++)
        {
            nsamp[i] = ParseInt(nsampText[i], source, $"samples per record of signal {i} ('{labels[i]}')");
            if (nsamp[i] < 1)
            {
                throw new EcgFormatException($"signal {i} ('{labels[i]}') must have at least 1 sample per record (got {nsamp[i]}).", source, "samples per record");
            }

            recordBytes += 2L * nsamp[i];
        }

        long dataBytes = available - headerBytes;
        if (records == -1)
        {
            records = dataBytes / recordBytes;
        }

        if (records < 1 || records > dataBytes / recordBytes)
        {
            throw new EcgFormatException(
                $"the header declares {records} data records of {recordBytes} bytes ({(records * (decimal)recordBytes).ToString(CultureInfo.InvariantCulture)} bytes) but the file holds {dataBytes} bytes of data; the file is truncated or the header is wrong.",
                source, "number of data records");
        }

        if (!(recordSeconds > 0))
        {
            throw new EcgFormatException($"the duration of a data record must be positive (got {EcgFormatHelpers.Invariant(recordSeconds)} s).", source, "duration of a data record");
        }

        int[] selected = Select(labels, options, source);
        double rate = nsamp[selected[0]] / recordSeconds;
        foreach (int s in selected)
        {
            if (nsamp[s] != nsamp[selected[0]])
            {
                throw new EcgFormatException($"the selected signals must share one sampling rate, but '{labels[selected[0]]}' has {nsamp[selected[0]]} and '{labels[s]}' has {nsamp[s]} samples per record; select them separately with EdfReaderOptions.Channels.", source, "samples per record");
            }
        }

        long perLead = records * nsamp[selected[0]];
        if (perLead * selected.Length > Array.MaxLength)
        {
            throw new EcgFormatException($"the selection holds {perLead * selected.Length} samples, more than one array can hold ({Array.MaxLength}).", source, "number of data records");
        }

        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Format"] = reserved.StartsWith("EDF+", StringComparison.Ordinal) ? "EDF+" : "EDF" };
        var gains = new double[ns];
        var offsets = new double[ns];
        foreach (int s in selected)
        {
            double pLo = ParseDouble(pmin[s], source, $"physical minimum of '{labels[s]}'"), pHi = ParseDouble(pmax[s], source, $"physical maximum of '{labels[s]}'");
            double dLo = ParseDouble(dmin[s], source, $"digital minimum of '{labels[s]}'"), dHi = ParseDouble(dmax[s], source, $"digital maximum of '{labels[s]}'");
            if (dHi <= dLo || pHi == pLo)
            {
                throw new EcgFormatException($"signal '{labels[s]}' needs digital maximum > digital minimum and physical maximum ≠ physical minimum (got digital {dmin[s]}..{dmax[s]}, physical {pmin[s]}..{pmax[s]}).", source, "digital/physical range");
            }

            double? mv = EcgFormatHelpers.MillivoltsPer(dims[s]);
            if (mv is null)
            {
                properties[$"EDF.Dimension.{labels[s]}"] = dims[s];
            }

            double unit = mv ?? 1.0;
            gains[s] = (pHi - pLo) / (dHi - dLo) * unit;
            offsets[s] = (pLo - (dLo * (pHi - pLo) / (dHi - dLo))) * unit;
        }

        int[] start = new int[ns];
        for (int i = 1; i < ns; i++)
        {
            start[i] = start[i - 1] + (2 * nsamp[i - 1]);
        }

        var leads = selected.Select(_ => new float[perLead]).ToArray();
        var comments = new List<string>();
        var annotationSignals = Enumerable.Range(0, ns).Where(i => labels[i] == AnnotationLabel).ToArray();
        var record = new byte[recordBytes];
        for (long r = 0; r < records; r++)
        {
            stream.ReadExactly(record);
            for (int k = 0; k < selected.Length; k++)
            {
                int s = selected[k];
                int n = nsamp[s];
                Span<byte> raw = record.AsSpan(start[s], 2 * n);
                Span<float> dest = leads[k].AsSpan((int)(r * n), n);
                for (int j = 0; j < n; j++)
                {
                    dest[j] = (float)((BinaryPrimitives.ReadInt16LittleEndian(raw[(2 * j)..]) * gains[s]) + offsets[s]);
                }
            }

            foreach (int a in annotationSignals)
            {
                ParseAnnotations(record.AsSpan(start[a], 2 * nsamp[a]), comments);
            }
        }

        var metadata = ReadMetadata(Field(8, 80), Field(88, 80), Field(168, 8), Field(176, 8), source, properties, comments);
        var named = selected.Select((s, k) => (LeadName(labels[s]), leads[k])).ToList();
        return EcgFormatHelpers.BuildRecord(named, rate, metadata, source, "selected signals");
    }

    private static int[] Select(string[] labels, EdfReaderOptions options, string source)
    {
        var ordinary = Enumerable.Range(0, labels.Length).Where(i => labels[i] != AnnotationLabel).ToArray();
        int[] chosen;
        if (options.Channels is { } wanted)
        {
            chosen = [.. wanted.Select(w =>
            {
                int i = Array.FindIndex(labels, l => string.Equals(l, w?.Trim(), StringComparison.OrdinalIgnoreCase));
                return i >= 0 && labels[i] != AnnotationLabel ? i
                    : throw new EcgFormatException($"no signal is labelled '{w}'; the labels are {string.Join(", ", ordinary.Select(o => $"'{labels[o]}'"))}.", source, "signal label");
            })];
        }
        else if (options.AllSignals)
        {
            chosen = ordinary;
        }
        else
        {
            chosen = [.. ordinary.Where(i => IsEcgLabel(labels[i]))];
        }

        return chosen.Length > 0 ? chosen
            : throw new EcgFormatException($"no ECG signal found: no label names a standard lead or contains ECG/EKG (labels: {string.Join(", ", ordinary.Select(o => $"'{labels[o]}'"))}); choose signals with EdfReaderOptions.Channels or AllSignals.", source, "signal label");
    }

    internal static bool IsEcgLabel(string label) =>
        StandardLeads.TryGetStandardIndex(StripEcgPrefix(label), out _)
        || label.Contains("ECG", StringComparison.OrdinalIgnoreCase) || label.Contains("EKG", StringComparison.OrdinalIgnoreCase);

    private static string LeadName(string label)
    {
        string stripped = StripEcgPrefix(label);
        return StandardLeads.TryGetStandardIndex(stripped, out _) ? stripped : label;
    }

    private static string StripEcgPrefix(string label)
    {
        foreach (string prefix in (ReadOnlySpan<string>)["ECG ", "EKG ", "ECG-", "EKG-", "ECG_", "EKG_"])
        {
            if (label.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return label[prefix.Length..].Trim();
            }
        }

        return label;
    }

    // A TAL: "+onset[\x15duration]\x14text\x14[text\x14…]\x00"; the first TAL of a record (empty text) keeps time.
    private static void ParseAnnotations(ReadOnlySpan<byte> raw, List<string> comments)
    {
        foreach (Range tal in raw.Split((byte)0))
        {
            ReadOnlySpan<byte> t = raw[tal];
            if (t.IsEmpty)
            {
                continue;
            }

            string[] parts = System.Text.Encoding.UTF8.GetString(t).Split('\x14');
            string onset = parts[0].Split('\x15')[0];
            foreach (string text in parts.Skip(1))
            {
                if (text.Length > 0)
                {
                    comments.Add($"{onset} s: {text}");
                }
            }
        }
    }

    private static EcgMetadata ReadMetadata(string patient, string recording, string date, string time, string source, Dictionary<string, string> properties, List<string> comments)
    {
        string? patientId = patient.Length > 0 ? patient : null;
        Sex sex = Sex.Unknown;
        DateTime? birth = null;
        string[] p = patient.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] rec = recording.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        bool plus = rec.Length >= 2 && rec[0] == "Startdate";
        if (plus && p.Length >= 3)
        {
            patientId = p[0] == "X" ? null : p[0];
            sex = p[1] switch { "M" => Sex.Male, "F" => Sex.Female, _ => Sex.Unknown };
            birth = DateTime.TryParseExact(p[2], "dd-MMM-yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b) ? b : null;
        }

        DateTime? startDate = null;
        if (plus && DateTime.TryParseExact(rec[1], "dd-MMM-yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var sd))
        {
            startDate = sd;
        }
        else if (DateTime.TryParseExact(date, "dd.MM.yy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d2))
        {
            int yy = d2.Year % 100;
            startDate = new DateTime(yy >= 85 ? 1900 + yy : 2000 + yy, d2.Month, d2.Day, 0, 0, 0, DateTimeKind.Unspecified);
        }

        DateTimeOffset? acquired = null;
        if (startDate is { } day)
        {
            acquired = new DateTimeOffset(day, TimeSpan.Zero);
            if (TimeSpan.TryParseExact(time, @"hh\.mm\.ss", CultureInfo.InvariantCulture, out var tod))
            {
                acquired = acquired.Value.Add(tod);
            }
        }

        double? age = null;
        if (birth is { } bd && startDate is { } st && st >= bd)
        {
            age = st.Year - bd.Year - (st.DayOfYear < bd.DayOfYear ? 1 : 0);
        }

        if (recording.Length > 0)
        {
            properties["EDF.Recording"] = recording;
        }

        return new EcgMetadata
        {
            PatientId = patientId,
            Sex = sex,
            Age = age,
            AcquisitionTime = acquired,
            Source = source,
            Comments = comments,
            Properties = properties.AsReadOnly(),
        };
    }

    private static byte[] ReadExactly(Stream stream, int count, string source, string what)
    {
        var buffer = new byte[count];
        int read = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return read == count ? buffer
            : throw new EcgFormatException($"the file is truncated in the {what}: {count} bytes needed, {read} present.", source, what);
    }

    private static int ParseInt(string text, string source, string field) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out int v) ? v
            : throw new EcgFormatException($"the {field} must be an integer (got '{text}').", source, field);

    private static double ParseDouble(string text, string source, string field) =>
        EcgFormatHelpers.TryParseDouble(text, out double v) ? v
            : throw new EcgFormatException($"the {field} must be a number (got '{text}').", source, field);
}
