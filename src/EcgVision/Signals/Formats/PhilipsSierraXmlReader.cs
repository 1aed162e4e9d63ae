using System.Buffers.Binary;
using System.Globalization;
using System.Xml.Linq;
using EcgVision.Internal;

namespace EcgVision.Signals.Formats;

/// <summary>Reads Philips Sierra ECG XML (<c>restingecgdata</c>, versions 1.03, 1.04 and 1.04.01), UTF-8 or UTF-16 with a byte-order mark.</summary>
/// <remarks>
/// <para>
/// Rhythm: <c>parsedwaveforms</c>, Base64 (or <c>Plain</c> whitespace-separated integers), either uncompressed int16
/// little endian lead after lead, or XLI-compressed (1.03 <c>compressflag="True" compressmethod="XLI"</c>, 1.04
/// <c>compression="XLI"</c>): one chunk per lead, LZW with 10-bit codes over split high/low bytes of delta codes (see
/// the sierra-ecg-tools documentation). In XLI files the limb leads III, aVR, aVL and aVF are stored as residuals and
/// rebuilt from I and II: III = II − I − r₃, aVR = −r₄ − (I + II)/2, aVL = (I − III)/2 − r₅, aVF = (II + III)/2 − r₆
/// (integer arithmetic, as the devices do). Samples per lead = <c>durationperchannel</c> (ms) × rate / 1000; rate from
/// <c>samplespersecond</c> (1.04) or <c>signalcharacteristics/samplingrate</c>; resolution (µV per unit) from
/// <c>resolution</c> (1.04) or <c>signalresolution</c>/<c>resolution</c>; labels from <c>leadlabels</c> (1.04) or the
/// standard I, II, III, aVR, aVL, aVF, V1–V6 order (1.03 STD-12). Leads are returned in the standard order.
/// </para>
/// <para>
/// Representative beats (<c>repbeats</c>, uncompressed Base64 int16) are read at their own <c>samplespersec</c> and
/// <c>resolution</c> (1.04.01 stores them at 1000 Hz and 1 µV) into <see cref="EcgDocument.RepresentativeBeats"/>.
/// </para>
/// <para>
/// Metadata: patient id, sex, age (<c>age/years</c>, else from <c>dateofbirth</c>), acquisition time
/// (<c>dataacquisition</c> <c>date</c> + <c>time</c>, taken as UTC), interpretation statements (left and right
/// statements, one per line) in <c>Report</c>; device (<c>machine</c>), document version and the global/cross-lead
/// measurements (<c>Sierra.heartrate</c>, …) in <c>Properties</c>. Elements are matched by local name, so the
/// <c>http://www3.medical.philips.com</c> namespace is not required.
/// </para>
/// </remarks>
public static class PhilipsSierraXmlReader
{
    /// <summary>The most samples per lead read (10 million: over 5 hours at 500 Hz); it bounds the XLI decoder's output.</summary>
    public const int MaxSamplesPerLead = 10_000_000;

    private static readonly string[] s_standardLabels = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    /// <summary>Reads the rhythm strip of a Sierra ECG XML file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rhythm record (leads in mV).</returns>
    /// <exception cref="EcgFormatException">The file is not a readable Sierra ECG XML file; the message names the file, field and value.</exception>
    public static EcgRecord Read(string path) => ReadDocument(path).Rhythm;

    /// <summary>Reads the rhythm strip of a Sierra ECG XML stream (not disposed).</summary>
    /// <param name="stream">The XML.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>The rhythm record.</returns>
    /// <exception cref="EcgFormatException">The stream is not a readable Sierra ECG XML file.</exception>
    public static EcgRecord Read(Stream stream, string? nameForMessages = null) => ReadDocument(stream, nameForMessages).Rhythm;

    /// <summary>Reads a Sierra ECG XML file with its representative beats.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Rhythm and representative beats.</returns>
    /// <exception cref="EcgFormatException">The file is not a readable Sierra ECG XML file.</exception>
    public static EcgDocument ReadDocument(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return ReadDocument(stream, path);
    }

    /// <summary>Reads a Sierra ECG XML stream (not disposed) with its representative beats.</summary>
    /// <param name="stream">The XML.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>Rhythm and representative beats.</returns>
    /// <exception cref="EcgFormatException">The stream is not a readable Sierra ECG XML file.</exception>
    public static EcgDocument ReadDocument(Stream stream, string? nameForMessages = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = nameForMessages ?? "stream";
        XElement root = SafeXml.Load(stream, source).Root!;
        if (root.Name.LocalName != "restingecgdata")
        {
            throw new EcgFormatException($"the root element must be restingecgdata (got {root.Name.LocalName}).", source, "root element");
        }

        XElement? signal = El(El(root, "dataacquisition"), "signalcharacteristics");
        EcgMetadata metadata = ReadMetadata(root, source);
        EcgRecord rhythm = ReadRhythm(root, signal, metadata, source);
        EcgRecord? beats = ReadBeats(root, metadata, source);
        return new EcgDocument(rhythm, beats, EcgFileFormat.PhilipsSierraXml);
    }

    private static XElement? El(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Attr(XElement? e, string name) => e?.Attribute(name)?.Value.Trim() is { Length: > 0 } v ? v : null;

    private static double Number(string? text, string field, string source, string rule)
    {
        return EcgFormatHelpers.TryParseDouble(text, out double v) && v > 0 ? v
            : throw new EcgFormatException($"{field} must be a positive number {rule}(got '{text ?? "(missing)"}').", source, field);
    }

    private static EcgRecord ReadRhythm(XElement root, XElement? signal, EcgMetadata metadata, string source)
    {
        XElement waveforms = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "parsedwaveforms")
            ?? throw new EcgFormatException("the file has no parsedwaveforms element.", source, "parsedwaveforms");
        double rate = Number(Attr(waveforms, "samplespersecond") ?? El(signal, "samplingrate")?.Value, "samplingrate", source, "");
        double resolution = Number(Attr(waveforms, "resolution") ?? El(signal, "signalresolution")?.Value ?? El(signal, "resolution")?.Value, "resolution", source, "in µV ");
        double duration = Number(Attr(waveforms, "durationperchannel"), "durationperchannel", source, "in ms ");
        double samplesExact = duration * rate / 1000;
        if (samplesExact != Math.Floor(samplesExact) || samplesExact > MaxSamplesPerLead)
        {
            throw new EcgFormatException($"durationperchannel × rate must be a whole number of samples up to {MaxSamplesPerLead} (got {EcgFormatHelpers.Invariant(duration)} ms × {EcgFormatHelpers.Invariant(rate)} Hz).", source, "durationperchannel");
        }

        int samples = (int)samplesExact;
        string[] labels = Attr(waveforms, "leadlabels")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? s_standardLabels;
        int declared = int.TryParse(Attr(waveforms, "numberofleads") ?? El(signal, "numberchannelsallocated")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int nl) ? nl : labels.Length;
        if (declared < 1 || declared > labels.Length)
        {
            throw new EcgFormatException($"numberofleads must be between 1 and the number of lead labels ({labels.Length}) (got {declared}).", source, "numberofleads");
        }

        bool xli = string.Equals(Attr(waveforms, "compression"), "XLI", StringComparison.OrdinalIgnoreCase)
            || (string.Equals(Attr(waveforms, "compressflag"), "True", StringComparison.OrdinalIgnoreCase) && string.Equals(Attr(waveforms, "compressmethod"), "XLI", StringComparison.OrdinalIgnoreCase));
        string? compression = Attr(waveforms, "compression") ?? (string.Equals(Attr(waveforms, "compressflag"), "True", StringComparison.OrdinalIgnoreCase) ? Attr(waveforms, "compressmethod") : null);
        if (!xli && compression is not null && !string.Equals(compression, "None", StringComparison.OrdinalIgnoreCase))
        {
            throw new EcgFormatException($"parsedwaveforms compression must be XLI or None (got '{compression}').", source, "parsedwaveforms compression");
        }

        string encoding = Attr(waveforms, "dataencoding") ?? "Base64";
        List<int[]> raw;
        if (encoding.Equals("Plain", StringComparison.OrdinalIgnoreCase))
        {
            if (xli)
            {
                throw new EcgFormatException("XLI-compressed waveforms must be Base64-encoded (got dataencoding 'Plain').", source, "parsedwaveforms dataencoding");
            }

            raw = Split(PlainIntegers(waveforms.Value, source, "parsedwaveforms"), declared, samples, source);
        }
        else if (encoding.Equals("Base64", StringComparison.OrdinalIgnoreCase))
        {
            byte[] bytes = Base64(waveforms.Value, source, "parsedwaveforms");
            if (xli)
            {
                raw = XliCodec.Decode(bytes, declared, samples, source);
                if (raw.Count < declared)
                {
                    throw new EcgFormatException($"the XLI data holds {raw.Count} lead chunks but numberofleads is {declared}.", source, "parsedwaveforms XLI chunk");
                }

                if (declared >= 6 && labels.Take(6).SequenceEqual(s_standardLabels.Take(6), StringComparer.OrdinalIgnoreCase))
                {
                    RebuildLimbLeads(raw);
                }
            }
            else
            {
                raw = Split(Int16(bytes), declared, samples, source);
            }
        }
        else
        {
            throw new EcgFormatException($"parsedwaveforms dataencoding must be Base64 or Plain (got '{encoding}').", source, "parsedwaveforms dataencoding");
        }

        double mv = resolution * 1e-3;
        var leads = new List<(string, float[])>(declared);
        for (int i = 0; i < declared; i++)
        {
            leads.Add((labels[i], Scale(raw[i], mv)));
        }

        return EcgFormatHelpers.BuildRecord(EcgFormatHelpers.StandardOrder(leads), rate, metadata, source, "parsedwaveforms");
    }

    private static void RebuildLimbLeads(List<int[]> leads)
    {
        int[] i = leads[0], ii = leads[1], iii = leads[2], avr = leads[3], avl = leads[4], avf = leads[5];
        for (int k = 0; k < i.Length; k++)
        {
            iii[k] = ii[k] - i[k] - iii[k];
            avr[k] = -avr[k] - ((i[k] + ii[k]) / 2);
            avl[k] = ((i[k] - iii[k]) / 2) - avl[k];
            avf[k] = ((ii[k] + iii[k]) / 2) - avf[k];
        }
    }

    private static EcgRecord? ReadBeats(XElement root, EcgMetadata metadata, string source)
    {
        XElement? repbeats = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "repbeats");
        var beats = repbeats?.Elements().Where(e => e.Name.LocalName == "repbeat").ToList();
        if (repbeats is null || beats is null || beats.Count == 0)
        {
            return null;
        }

        double rate = Number(Attr(repbeats, "samplespersec") ?? Attr(repbeats, "samplespersecond"), "repbeats samplespersec", source, "");
        double resolution = Number(Attr(repbeats, "resolution"), "repbeats resolution", source, "in µV ");
        bool plain = string.Equals(Attr(repbeats, "dataencoding"), "Plain", StringComparison.OrdinalIgnoreCase);
        var leads = new List<(string, float[])>(beats.Count);
        foreach (XElement beat in beats)
        {
            string name = Attr(beat, "leadname") ?? throw new EcgFormatException("a repbeat has no leadname.", source, "repbeat leadname");
            string text = El(beat, "waveform")?.Value ?? throw new EcgFormatException($"repbeat {name} has no waveform.", source, "repbeat waveform");
            int[] values = plain ? PlainIntegers(text, source, $"repbeat {name}") : Int16(Base64(text, source, $"repbeat {name}"));
            leads.Add((name, Scale(values, resolution * 1e-3)));
        }

        return EcgFormatHelpers.BuildRecord(EcgFormatHelpers.StandardOrder(leads), rate, metadata, source, "repbeats");
    }

    private static List<int[]> Split(int[] all, int leads, int samples, string source)
    {
        if ((long)leads * samples > all.Length)
        {
            throw new EcgFormatException($"parsedwaveforms holds {all.Length} samples but {leads} leads × {samples} samples are declared.", source, "parsedwaveforms");
        }

        var result = new List<int[]>(leads);
        for (int i = 0; i < leads; i++)
        {
            result.Add(all.AsSpan(i * samples, samples).ToArray());
        }

        return result;
    }

    private static float[] Scale(int[] values, double mvPerUnit)
    {
        var mv = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            mv[i] = (float)(values[i] * mvPerUnit);
        }

        return mv;
    }

    private static byte[] Base64(string text, string source, string field)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new EcgFormatException($"{field} is not valid Base64 ({ex.Message})", source, field, ex);
        }
    }

    private static int[] Int16(byte[] bytes)
    {
        var values = new int[bytes.Length / 2];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i));
        }

        return values;
    }

    private static int[] PlainIntegers(string text, string source, string field)
    {
        var values = new List<int>();
        foreach (string token in text.Split([' ', '\t', '\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            values.Add(int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v
                : throw new EcgFormatException($"{field}: value {values.Count} must be an integer (got '{token}').", source, field));
        }

        return [.. values];
    }

    private static EcgMetadata ReadMetadata(XElement root, string source)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Format"] = "Philips Sierra ECG XML" };
        if (El(El(root, "documentinfo"), "documentversion")?.Value.Trim() is { Length: > 0 } version)
        {
            properties["Sierra.DocumentVersion"] = version;
        }

        XElement? acquisition = El(root, "dataacquisition");
        if (El(acquisition, "machine") is { } machine && machine.Value.Trim().Length > 0)
        {
            properties["Device"] = machine.Value.Trim();
            if (Attr(machine, "detaildescription") is { } detail)
            {
                properties["Sierra.DeviceDetail"] = detail;
            }
        }

        DateTimeOffset? acquired = null;
        if (Attr(acquisition, "date") is { } date && DateTime.TryParseExact($"{date} {Attr(acquisition, "time") ?? "00:00:00"}", "yyyy-MM-dd HH:mm:ss",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime dt))
        {
            acquired = new DateTimeOffset(dt, TimeSpan.Zero);
        }

        XElement? patient = El(El(root, "patient"), "generalpatientdata");
        XElement? age = El(patient, "age");
        double? years = EcgFormatHelpers.TryParseDouble(El(age, "years")?.Value, out double y) ? y : null;
        if (years is null && DateTime.TryParseExact(El(age, "dateofbirth")?.Value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime birth)
            && acquired is { } when && when.Date >= birth)
        {
            years = when.Year - birth.Year - (when.DayOfYear < birth.DayOfYear ? 1 : 0);
        }

        foreach (string group in (string[])["globalmeasurements", "crossleadmeasurements"])
        {
            foreach (XElement m in root.Descendants().FirstOrDefault(e => e.Name.LocalName == group)?.Elements() ?? [])
            {
                if (!m.HasElements && m.Value.Trim().Length > 0)
                {
                    properties[$"Sierra.{m.Name.LocalName}"] = m.Value.Trim();
                }
            }
        }

        var lines = root.Descendants().Where(e => e.Name.LocalName == "statement")
            .Select(s => string.Join(" ", s.Elements().Where(e => e.Name.LocalName is "leftstatement" or "rightstatement").Select(e => e.Value.Trim()).Where(t => t.Length > 0)))
            .Where(l => l.Length > 0)
            .ToList();

        return new EcgMetadata
        {
            PatientId = El(patient, "patientid")?.Value.Trim() is { Length: > 0 } id ? id : null,
            Age = years,
            Sex = El(patient, "sex")?.Value.Trim().ToUpperInvariant() switch { "MALE" or "M" => Sex.Male, "FEMALE" or "F" => Sex.Female, _ => Sex.Unknown },
            AcquisitionTime = acquired,
            Report = lines.Count > 0 ? string.Join('\n', lines) : null,
            Source = source,
            Properties = properties.AsReadOnly(),
        };
    }
}
