using System.Buffers.Binary;
using System.Globalization;
using System.Xml.Linq;
using EcgVision.Internal;

namespace EcgVision.Signals.Formats;

/// <summary>Reads GE MUSE XML exports (<c>RestingECG</c>).</summary>
/// <remarks>
/// <para>
/// Each <c>Waveform</c> (<c>WaveformType</c> <c>Rhythm</c> or <c>Median</c>) holds <c>LeadData</c> elements whose
/// <c>WaveFormData</c> is Base64 of little-endian int16 samples; <c>physical = sample × LeadAmplitudeUnitsPerBit</c> in
/// <c>LeadAmplitudeUnits</c> (MICROVOLTS), converted to mV. The rate is <c>SampleBase × 10^SampleExponent</c>.
/// Declared sizes (<c>LeadSampleCountTotal × LeadSampleSize = LeadByteCountTotal</c>) are checked against the Base64
/// text before anything is allocated, and <c>LeadDataCRC32</c> (zlib CRC-32 of the decoded bytes) is verified.
/// </para>
/// <para>
/// MUSE stores 8 leads (I, II, V1–V6); III = II − I, aVR = −(I + II)/2, aVL = I − II/2 and aVF = II − I/2 are derived when
/// absent, and leads are returned in the standard 12-lead order. The declared DTD (<c>restecg.dtd</c>, never shipped)
/// is ignored without being fetched.
/// </para>
/// <para>
/// Metadata: <c>PatientId</c>, <c>Age</c> (<c>PatientAge</c> in <c>AgeUnits</c>), <c>Sex</c>, <c>AcquisitionTime</c>
/// (<c>AcquisitionDate</c> MM-dd-yyyy + <c>AcquisitionTime</c>; no zone in the file, taken as UTC), <c>Report</c>
/// (<c>Diagnosis</c> statements, else <c>OriginalDiagnosis</c>; a statement flagged <c>ENDSLINE</c> ends a line), and in
/// <c>Properties</c> every <c>RestingECGMeasurements</c> value (<c>VentricularRate</c>, <c>QTInterval</c>, …), <c>Device</c>,
/// <c>MuseVersion</c>, <c>OriginalDiagnosis</c> and <c>Format</c>.
/// </para>
/// </remarks>
public static class MuseXmlReader
{
    /// <summary>Reads the rhythm strip of a MUSE XML file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rhythm record.</returns>
    /// <exception cref="EcgFormatException">The file is not a readable MUSE export; the message names the file, field and value.</exception>
    public static EcgRecord Read(string path) => ReadDocument(path).Rhythm;

    /// <summary>Reads the rhythm strip of a MUSE XML stream (not disposed).</summary>
    /// <param name="stream">The XML.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>The rhythm record.</returns>
    /// <exception cref="EcgFormatException">The stream is not a readable MUSE export.</exception>
    public static EcgRecord Read(Stream stream, string? nameForMessages = null) => ReadDocument(stream, nameForMessages).Rhythm;

    /// <summary>Reads a MUSE XML file with its median beats.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Rhythm and median beats.</returns>
    /// <exception cref="EcgFormatException">The file is not a readable MUSE export.</exception>
    public static EcgDocument ReadDocument(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return ReadDocument(stream, path);
    }

    /// <summary>Reads a MUSE XML stream (not disposed) with its median beats.</summary>
    /// <param name="stream">The XML.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>Rhythm and median beats.</returns>
    /// <exception cref="EcgFormatException">The stream is not a readable MUSE export.</exception>
    public static EcgDocument ReadDocument(Stream stream, string? nameForMessages = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = nameForMessages ?? "stream";
        XElement root = SafeXml.Load(stream, source).Root!;
        if (root.Name != "RestingECG")
        {
            throw new EcgFormatException($"the root element must be RestingECG without a namespace (got {root.Name}).", source, "root element");
        }

        EcgMetadata metadata = ReadMetadata(root, source);
        XElement? rhythm = FindWaveform(root, "Rhythm")
            ?? throw new EcgFormatException("the file has no Waveform with WaveformType 'Rhythm'.", source, "Waveform");
        EcgRecord rhythmRecord = ReadWaveform(rhythm, metadata, source, "Rhythm waveform");
        XElement? median = FindWaveform(root, "Median");
        EcgRecord? medianRecord = median is null ? null : ReadWaveform(median, metadata, source, "Median waveform");
        return new EcgDocument(rhythmRecord, medianRecord, EcgFileFormat.GeMuseXml);
    }

    private static XElement? FindWaveform(XElement root, string type) =>
        root.Elements("Waveform").FirstOrDefault(w => string.Equals(w.Element("WaveformType")?.Value.Trim(), type, StringComparison.OrdinalIgnoreCase));

    private static EcgRecord ReadWaveform(XElement waveform, EcgMetadata metadata, string source, string what)
    {
        double sampleBase = Number(waveform, "SampleBase", source, what);
        double exponent = waveform.Element("SampleExponent") is null ? 0 : Number(waveform, "SampleExponent", source, what);
        double rate = sampleBase * Math.Pow(10, exponent);

        var leads = new List<(string Name, float[] Samples)>();
        foreach (XElement lead in waveform.Elements("LeadData"))
        {
            leads.Add(ReadLead(lead, source, what));
        }

        EcgFormatHelpers.DeriveLimbLeads(leads);
        return EcgFormatHelpers.BuildRecord(EcgFormatHelpers.StandardOrder(leads), rate, metadata, source, what);
    }

    private static (string, float[]) ReadLead(XElement lead, string source, string what)
    {
        string id = lead.Element("LeadID")?.Value.Trim() is { Length: > 0 } s ? s
            : throw new EcgFormatException($"a LeadData of the {what} has no LeadID.", source, "LeadID");
        string where = $"lead {id} of the {what}";
        int sampleSize = lead.Element("LeadSampleSize") is null ? 2 : (int)Number(lead, "LeadSampleSize", source, where);
        if (sampleSize != 2)
        {
            throw new EcgFormatException($"{where}: LeadSampleSize must be 2 (int16) (got {sampleSize}).", source, "LeadSampleSize");
        }

        double count = Number(lead, "LeadSampleCountTotal", source, where);
        double bytes = lead.Element("LeadByteCountTotal") is null ? count * 2 : Number(lead, "LeadByteCountTotal", source, where);
        if (count < 1 || count != Math.Floor(count) || bytes != count * 2)
        {
            throw new EcgFormatException($"{where}: LeadByteCountTotal must be 2 × LeadSampleCountTotal with a positive whole count (got {EcgFormatHelpers.Invariant(bytes)} bytes for {EcgFormatHelpers.Invariant(count)} samples).", source, "LeadSampleCountTotal");
        }

        string base64 = lead.Element("WaveFormData")?.Value
            ?? throw new EcgFormatException($"{where} has no WaveFormData.", source, "WaveFormData");

        // Check the declared size against the text before allocating: Base64 holds at most 3 bytes per 4 characters.
        long maxBytes = (long)base64.Length * 3 / 4;
        if (bytes > maxBytes)
        {
            throw new EcgFormatException($"{where}: LeadByteCountTotal declares {EcgFormatHelpers.Invariant(bytes)} bytes but WaveFormData ({base64.Length} characters) can hold at most {maxBytes}.", source, "LeadByteCountTotal");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new EcgFormatException($"{where}: WaveFormData is not valid Base64 ({ex.Message})", source, "WaveFormData", ex);
        }

        if (data.Length != (long)bytes)
        {
            throw new EcgFormatException($"{where}: WaveFormData decodes to {data.Length} bytes but LeadByteCountTotal is {EcgFormatHelpers.Invariant(bytes)}.", source, "WaveFormData");
        }

        if (lead.Element("LeadDataCRC32")?.Value.Trim() is { Length: > 0 } crcText)
        {
            if (!uint.TryParse(crcText, NumberStyles.None, CultureInfo.InvariantCulture, out uint expected))
            {
                throw new EcgFormatException($"{where}: LeadDataCRC32 must be an unsigned 32-bit integer (got '{crcText}').", source, "LeadDataCRC32");
            }

            uint actual = Crc32.Compute(data);
            if (actual != expected)
            {
                throw new EcgFormatException($"{where}: the CRC-32 of the decoded samples is {actual} but LeadDataCRC32 says {expected}; the data is corrupt.", source, "LeadDataCRC32");
            }
        }

        double unitsPerBit = Number(lead, "LeadAmplitudeUnitsPerBit", source, where);
        string units = lead.Element("LeadAmplitudeUnits")?.Value.Trim() ?? "MICROVOLTS";
        double mvPerUnit = EcgFormatHelpers.MillivoltsPer(units)
            ?? throw new EcgFormatException($"{where}: LeadAmplitudeUnits must be a voltage (MICROVOLTS, MILLIVOLTS) (got '{units}').", source, "LeadAmplitudeUnits");
        double gain = unitsPerBit * mvPerUnit;
        var samples = new float[data.Length / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(2 * i)) * gain);
        }

        return (id, samples);
    }

    private static double Number(XElement parent, string name, string source, string where)
    {
        string? text = parent.Element(name)?.Value;
        return EcgFormatHelpers.TryParseDouble(text, out double v) ? v
            : throw new EcgFormatException($"{where}: {name} must be a finite number (got '{text ?? "(missing)"}').", source, name);
    }

    private static EcgMetadata ReadMetadata(XElement root, string source)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Format"] = "GE MUSE XML" };
        XElement? patient = root.Element("PatientDemographics");
        XElement? test = root.Element("TestDemographics");
        double? age = null;
        if (EcgFormatHelpers.TryParseDouble(patient?.Element("PatientAge")?.Value, out double a))
        {
            age = patient!.Element("AgeUnits")?.Value.Trim().ToUpperInvariant() switch
            {
                "MONTHS" => a / 12,
                "WEEKS" => a / 52.1775,
                "DAYS" => a / 365.25,
                "HOURS" => a / 8766,
                _ => a,
            };
        }

        Sex sex = patient?.Element("Gender")?.Value.Trim().ToUpperInvariant() switch
        {
            "MALE" or "M" => Sex.Male,
            "FEMALE" or "F" => Sex.Female,
            _ => Sex.Unknown,
        };

        DateTimeOffset? acquired = null;
        string? date = test?.Element("AcquisitionDate")?.Value.Trim();
        string? time = test?.Element("AcquisitionTime")?.Value.Trim() ?? "00:00:00";
        if (date is not null && DateTime.TryParseExact($"{date} {time}", ["MM-dd-yyyy HH:mm:ss", "MM-dd-yyyy H:mm:ss", "MM/dd/yyyy HH:mm:ss"],
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime dt))
        {
            acquired = new DateTimeOffset(dt, TimeSpan.Zero);
        }

        if (test?.Element("AcquisitionDevice")?.Value.Trim() is { Length: > 0 } device)
        {
            properties["Device"] = device;
        }

        if (root.Element("MuseInfo")?.Element("MuseVersion")?.Value.Trim() is { Length: > 0 } version)
        {
            properties["MuseVersion"] = version;
        }

        foreach (XElement m in root.Element("RestingECGMeasurements")?.Elements() ?? [])
        {
            if (!m.HasElements && m.Value.Trim().Length > 0)
            {
                properties[m.Name.LocalName] = m.Value.Trim();
            }
        }

        string? report = Statements(root.Element("Diagnosis"));
        string? original = Statements(root.Element("OriginalDiagnosis"));
        if (original is not null)
        {
            properties["OriginalDiagnosis"] = original;
        }

        return new EcgMetadata
        {
            PatientId = patient?.Element("PatientID")?.Value.Trim() is { Length: > 0 } pid ? pid : null,
            Age = age,
            Sex = sex,
            AcquisitionTime = acquired,
            Report = report ?? original,
            Source = source,
            Properties = properties.AsReadOnly(),
        };
    }

    private static string? Statements(XElement? diagnosis)
    {
        if (diagnosis is null)
        {
            return null;
        }

        var lines = new List<string>();
        var line = new List<string>();
        foreach (XElement stmt in diagnosis.Elements("DiagnosisStatement"))
        {
            string text = stmt.Element("StmtText")?.Value.Trim() ?? "";
            if (text.Length > 0)
            {
                line.Add(text);
            }

            if (stmt.Elements("StmtFlag").Any(f => f.Value.Trim() == "ENDSLINE") && line.Count > 0)
            {
                lines.Add(string.Join(' ', line));
                line.Clear();
            }
        }

        if (line.Count > 0)
        {
            lines.Add(string.Join(' ', line));
        }

        return lines.Count > 0 ? string.Join('\n', lines) : null;
    }
}
