using System.Buffers.Binary;
using System.Globalization;
using EcgVision.Internal;

namespace EcgVision.Signals.Formats;

/// <summary>Reads DICOM waveform files: 12-Lead ECG Waveform Storage (1.2.840.10008.5.1.4.1.1.9.1.1), General ECG (…9.1.2) and other waveform SOP classes.</summary>
/// <remarks>
/// <para>
/// Parsing: Part 10 files (128-byte preamble, <c>DICM</c>, file meta group) in explicit or implicit VR little endian
/// (other transfer syntaxes are rejected by name), with sequences and items of defined or undefined length. Implicit VR
/// uses a small dictionary of the sequence tags; values are read by the type each tag has. Every length is checked
/// against the bytes left in its container, nesting is limited to 8 levels and files to <see cref="MaxFileBytes"/>.
/// </para>
/// <para>
/// Samples: each Waveform Sequence (5400,0100) item is a multiplex group: Number of Waveform Channels (003A,0005),
/// Number of Waveform Samples (003A,0010), Sampling Frequency (003A,001A), Waveform Bits Allocated (5400,1004) and
/// Sample Interpretation (5400,1006: SS/US 16-bit, SB/UB 8-bit; µ-law/A-law rejected), Waveform Data (5400,1010)
/// interleaved sample by sample. Per channel (Channel Definition Sequence 003A,0200):
/// <c>mV = (raw × Channel Sensitivity + Channel Baseline) × Sensitivity Correction Factor × unit</c>, the unit from the
/// Channel Sensitivity Units Sequence code (uV, mV, …). Samples equal to the Waveform Padding Value (5400,100A) are read as
/// 0 mV; the sample count is kept as declared (ECG Toolkit pads its 599-sample median beat to 600 with padding value 0).
/// </para>
/// <para>
/// Lead names come from the Channel Source Sequence code: SCPECG scheme <c>5.6.3-9-n</c> and MDC <c>2:n</c> use the
/// SCP lead ids (1 = I, 61 = III, …; see <see cref="ScpEcgReader"/>); otherwise the code meaning (<c>Lead aVR</c>), then
/// the Channel Label, then <c>Channel{n}</c>. Groups: the rhythm is the first group with Waveform Originality
/// <c>ORIGINAL</c> (else the first group); a group labelled <c>MEDIAN</c>/<c>MEDIAN BEAT</c> (or another
/// <c>DERIVED</c> group) becomes <see cref="EcgDocument.RepresentativeBeats"/>. Leads are returned in the standard order.
/// </para>
/// <para>
/// Metadata: Patient ID, Patient's Sex, Patient's Age (<c>nnnY/M/W/D</c>, else from the birth date), acquisition time
/// (Acquisition DateTime, else Acquisition Date + Time, else Content Date + Time; no zone → UTC), and in
/// <c>Properties</c> Manufacturer, model (<c>Device</c>), SOP Class UID, transfer syntax and each group's label and time offset.
/// </para>
/// </remarks>
public static class DicomWaveformReader
{
    /// <summary>The largest file read (128 MiB).</summary>
    public const long MaxFileBytes = 128L << 20;

    private const uint WaveformSequence = 0x54000100;
    private const uint ChannelDefinitionSequence = 0x003A0200;

    /// <summary>Reads the rhythm group of a DICOM waveform file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rhythm record (leads in mV).</returns>
    /// <exception cref="EcgFormatException">The file is not a readable DICOM ECG; the message names the file, the tag and the value.</exception>
    public static EcgRecord Read(string path) => ReadDocument(path).Rhythm;

    /// <summary>Reads the rhythm group of a DICOM waveform stream (not disposed).</summary>
    /// <param name="stream">The content.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>The rhythm record.</returns>
    /// <exception cref="EcgFormatException">The content is not a readable DICOM ECG.</exception>
    public static EcgRecord Read(Stream stream, string? nameForMessages = null) => ReadDocument(stream, nameForMessages).Rhythm;

    /// <summary>Reads a DICOM waveform file with its median beats.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Rhythm and, when present, the median-beat group.</returns>
    /// <exception cref="EcgFormatException">The file is not a readable DICOM ECG.</exception>
    public static EcgDocument ReadDocument(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return ReadDocument(stream, path);
    }

    /// <summary>Reads a DICOM waveform stream (not disposed) with its median beats.</summary>
    /// <param name="stream">The content.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>Rhythm and, when present, the median-beat group.</returns>
    /// <exception cref="EcgFormatException">The content is not a readable DICOM ECG.</exception>
    public static EcgDocument ReadDocument(Stream stream, string? nameForMessages = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = nameForMessages ?? "stream";
        byte[] bytes = EcgFormatHelpers.ReadAllBounded(stream, MaxFileBytes, source, "DICOM");
        var (meta, data, syntax) = DicomParser.Parse(bytes, source);

        IReadOnlyList<DicomDataset> groups = data.Items(WaveformSequence);
        if (groups.Count == 0)
        {
            throw new EcgFormatException("the file has no Waveform Sequence (5400,0100) item; it is not a waveform object.", source, "(5400,0100) Waveform Sequence");
        }

        int rhythmIndex = Enumerable.Range(0, groups.Count).FirstOrDefault(i => groups[i].String(0x003A0004) == "ORIGINAL");
        int medianIndex = Enumerable.Range(0, groups.Count).Where(i => i != rhythmIndex)
            .OrderBy(i => (groups[i].String(0x003A0020) ?? "").Contains("MEDIAN", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .FirstOrDefault(i => (groups[i].String(0x003A0020) ?? "").Contains("MEDIAN", StringComparison.OrdinalIgnoreCase) || groups[i].String(0x003A0004) == "DERIVED", -1);

        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Format"] = "DICOM waveform", ["DICOM.TransferSyntax"] = syntax };
        Put(properties, "DICOM.SOPClassUID", meta.String(0x00020002) ?? data.String(0x00080016));
        Put(properties, "Manufacturer", data.String(0x00080070));
        Put(properties, "Device", data.String(0x00081090));
        EcgMetadata metadata = ReadMetadata(data, source, properties);

        EcgRecord rhythm = ReadGroup(groups[rhythmIndex], rhythmIndex, metadata, source, properties, "rhythm");
        EcgRecord? median = medianIndex >= 0 ? ReadGroup(groups[medianIndex], medianIndex, metadata, source, properties, "median") : null;
        return new EcgDocument(rhythm, median, EcgFileFormat.Dicom);
    }

    private static void Put(Dictionary<string, string> properties, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            properties[key] = value;
        }
    }

    private static EcgRecord ReadGroup(DicomDataset group, int index, EcgMetadata metadata, string source, Dictionary<string, string> shared, string role)
    {
        string what = $"waveform group {index + 1} ({group.String(0x003A0020) ?? "unlabelled"})";
        EcgFormatException Error(string message, string field) => new($"{what}: {message}", source, field);

        long channels = group.Unsigned(0x003A0005) ?? throw Error("Number of Waveform Channels (003A,0005) is missing or not a US value.", "(003A,0005) Number of Waveform Channels");
        long samples = group.Unsigned(0x003A0010) ?? throw Error("Number of Waveform Samples (003A,0010) is missing or not a UL value.", "(003A,0010) Number of Waveform Samples");
        double rate = group.Number(0x003A001A) ?? throw Error($"Sampling Frequency (003A,001A) must be a number (got '{group.String(0x003A001A) ?? "(missing)"}').", "(003A,001A) Sampling Frequency");
        long bits = group.Unsigned(0x54001004) ?? throw Error("Waveform Bits Allocated (5400,1004) is missing.", "(5400,1004) Waveform Bits Allocated");
        string interpretation = group.String(0x54001006) ?? (bits == 8 ? "SB" : "SS");
        ReadOnlyMemory<byte> waveform = group.Get(0x54001010) is { Items: null } d ? d.Value
            : throw Error("Waveform Data (5400,1010) is missing.", "(5400,1010) Waveform Data");
        if (channels < 1 || samples < 1 || channels > ushort.MaxValue || samples > int.MaxValue)
        {
            throw Error($"a group needs 1 to 65535 channels and 1 to 2147483647 samples (got {channels} channels, {samples} samples).", "(003A,0005) Number of Waveform Channels");
        }

        if ((bits, interpretation) is not ((16, "SS") or (16, "US") or (8, "SB") or (8, "UB")))
        {
            throw Error($"Waveform Bits Allocated {bits} with Sample Interpretation '{interpretation}' is not supported (readable: 16 SS/US, 8 SB/UB).", "(5400,1006) Waveform Sample Interpretation");
        }

        int bytesPerSample = (int)bits / 8;
        long expected = channels * samples * bytesPerSample;
        if (expected != waveform.Length)
        {
            throw Error($"Waveform Data holds {waveform.Length} bytes but {channels} channels × {samples} samples × {bytesPerSample} bytes = {expected}.", "(5400,1010) Waveform Data");
        }

        IReadOnlyList<DicomDataset> definitions = group.Items(ChannelDefinitionSequence);
        if (definitions.Count != channels)
        {
            throw Error($"the Channel Definition Sequence (003A,0200) has {definitions.Count} items but the group has {channels} channels.", "(003A,0200) Channel Definition Sequence");
        }

        int? padding = group.Get(0x5400100A) is { Items: null } p && p.Value.Length >= bytesPerSample ? Sample(p.Value.Span, 0, bytesPerSample, interpretation) : null;
        ReadOnlySpan<byte> span = waveform.Span;
        int n = (int)samples, c = (int)channels;

        int kept = n;
        var leads = new List<(string, float[])>(c);
        for (int ch = 0; ch < c; ch++)
        {
            DicomDataset def = definitions[ch];
            string where = $"channel {ch + 1}";
            double sensitivity = def.Number(0x003A0210) ?? throw Error($"{where} has no Channel Sensitivity (003A,0210); samples in arbitrary units are not ECG voltages.", "(003A,0210) Channel Sensitivity");
            double correction = def.Number(0x003A0212) ?? 1.0;
            double baseline = def.Number(0x003A0213) ?? 0.0;
            string unit = def.Items(0x003A0211).FirstOrDefault()?.String(0x00080100) ?? "uV";
            double mvPerUnit = EcgFormatHelpers.MillivoltsPer(unit)
                ?? throw Error($"{where}: the Channel Sensitivity Units code must be a voltage (uV, mV, V, nV) (got '{unit}').", "(003A,0211) Channel Sensitivity Units Sequence");
            double gain = sensitivity * correction * mvPerUnit, offset = baseline * correction * mvPerUnit;
            var values = new float[kept];
            for (int k = 0; k < kept; k++)
            {
                int raw = Sample(span, (k * c) + ch, bytesPerSample, interpretation);
                if (raw == padding)
                {
                    continue; // padding (no sample): 0 mV
                }

                values[k] = (float)((raw * gain) + offset);
            }

            leads.Add((LeadName(def, ch), values));
        }

        var properties = new Dictionary<string, string>(shared, StringComparer.OrdinalIgnoreCase);
        Put(properties, "DICOM.MultiplexGroupLabel", group.String(0x003A0020));
        Put(properties, "DICOM.WaveformOriginality", group.String(0x003A0004));
        Put(properties, "DICOM.MultiplexGroupTimeOffset", group.String(0x00181068));
        return EcgFormatHelpers.BuildRecord(EcgFormatHelpers.StandardOrder(leads), rate, metadata with { Properties = properties.AsReadOnly() }, source, $"{role} {what}");
    }

    private static int Sample(ReadOnlySpan<byte> data, int index, int bytesPerSample, string interpretation) => interpretation switch
    {
        "SS" => BinaryPrimitives.ReadInt16LittleEndian(data[(2 * index)..]),
        "US" => BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * index)..]),
        "SB" => (sbyte)data[index],
        _ => data[index],
    };

    private static string LeadName(DicomDataset definition, int channel)
    {
        DicomDataset? code = definition.Items(0x003A0208).FirstOrDefault();
        string? value = code?.String(0x00080100);
        string? scheme = code?.String(0x00080102);
        if (value is not null)
        {
            if ((scheme is null or "SCPECG") && value.StartsWith("5.6.3-9-", StringComparison.Ordinal) && int.TryParse(value.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out int scp))
            {
                return ScpLeadCodes.Name(scp);
            }

            if (value.StartsWith("2:", StringComparison.Ordinal) && int.TryParse(value.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int mdc))
            {
                return ScpLeadCodes.Name(mdc);
            }
        }

        if (code?.String(0x00080104) is { } meaning && StandardLeads.TryGetStandardIndex(meaning, out int idx))
        {
            return StandardLeads.TwelveLead[idx];
        }

        if (definition.String(0x003A0203) is { } label)
        {
            return label;
        }

        return code?.String(0x00080104) ?? value ?? $"Channel{channel + 1}";
    }

    private static EcgMetadata ReadMetadata(DicomDataset data, string source, Dictionary<string, string> properties)
    {
        DateTimeOffset? acquired = data.String(0x0008002A) is { Length: >= 8 } dt ? DicomParser.DateTime(dt[..8], dt[8..])
            : DicomParser.DateTime(data.String(0x00080022), data.String(0x00080032)) ?? DicomParser.DateTime(data.String(0x00080023), data.String(0x00080033));
        double? age = null;
        if (data.String(0x00101010) is { Length: 4 } a && int.TryParse(a.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int v))
        {
            age = a[3] switch { 'Y' => v, 'M' => v / 12.0, 'W' => v / 52.1775, 'D' => v / 365.25, _ => null };
        }

        if (age is null && DicomParser.DateTime(data.String(0x00100030), null) is { } birth && acquired is { } when && when >= birth)
        {
            age = when.Year - birth.Year - (when.DayOfYear < birth.DayOfYear ? 1 : 0);
        }

        return new EcgMetadata
        {
            PatientId = data.String(0x00100020),
            Age = age,
            Sex = data.String(0x00100040) switch { "M" => Sex.Male, "F" => Sex.Female, _ => Sex.Unknown },
            AcquisitionTime = acquired,
            Source = source,
            Properties = properties.AsReadOnly(),
        };
    }
}
