using System.Globalization;
using System.Text;
using System.Xml;
using EcgVision.Internal;

namespace EcgVision.Signals.Formats;

/// <summary>Settings of <see cref="AecgWriter"/>.</summary>
public sealed record AecgWriterOptions
{
    /// <summary>Amplitude quantum in microvolts: samples are written as integer digits × this scale. Default 1 µV (PTB-XL's resolution).</summary>
    public double ScaleMicrovolts { get; init; } = 1.0;

    /// <summary>The document id (<c>AnnotatedECG/id/@root</c>); <see langword="null"/> for a new random UUID.</summary>
    public Guid? DocumentId { get; init; }
}

/// <summary>Writes an <see cref="EcgRecord"/> as HL7 v3 annotated ECG XML, readable by <see cref="AecgReader"/> and aECG viewers.</summary>
/// <remarks>
/// One <c>RHYTHM</c> series with one sequence set: a <c>TIME_ABSOLUTE</c> <c>GLIST_TS</c> (head = acquisition time) or,
/// without an acquisition time, a <c>TIME_RELATIVE</c> <c>GLIST_PQ</c> from 0 s; then one <c>SLIST_PQ</c> per lead with
/// origin 0 µV, scale <see cref="AecgWriterOptions.ScaleMicrovolts"/> and digits <c>round(mV × 1000 / scale)</c>, so a
/// read-back differs from the record by at most half the scale. Standard leads get MDC codes (<c>MDC_ECG_LEAD_AVR</c>);
/// other leads <c>MDC_ECG_LEAD_&lt;name&gt;</c>, which the reader maps back to the name. Metadata written: id (as the
/// <c>id</c> extension), patient id, sex, age (LOINC 21612-7), acquisition time, report lines (as
/// <c>MDC_ECG_INTERPRETATION_STATEMENT</c> annotations) and properties named <c>MDC_*</c> with a numeric value (as
/// <c>PQ</c> annotations). Files are written atomically (<see cref="AtomicFile"/>).
/// </remarks>
public static class AecgWriter
{
    private const string Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>Writes <paramref name="record"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="record">The record; samples must be finite.</param>
    /// <param name="path">The target file.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or a sample is NaN/∞ or too large for the scale.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not finite and positive.</exception>
    public static void Write(EcgRecord record, string path, AecgWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options = Validate(options);
        string[] digits = Quantise(record, options.ScaleMicrovolts);
        AtomicFile.Write(path, s => WriteXml(record, s, options, digits));
    }

    /// <summary>Writes <paramref name="record"/> to a stream (not disposed).</summary>
    /// <param name="record">The record; samples must be finite.</param>
    /// <param name="stream">The destination.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A sample is NaN/∞ or too large for the scale.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not finite and positive.</exception>
    public static void Write(EcgRecord record, Stream stream, AecgWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(stream);
        options = Validate(options);
        WriteXml(record, stream, options, Quantise(record, options.ScaleMicrovolts));
    }

    private static AecgWriterOptions Validate(AecgWriterOptions? options)
    {
        options ??= new AecgWriterOptions();
        if (!double.IsFinite(options.ScaleMicrovolts) || options.ScaleMicrovolts <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ScaleMicrovolts, $"ScaleMicrovolts must be finite and positive (got {options.ScaleMicrovolts.ToString(CultureInfo.InvariantCulture)}).");
        }

        return options;
    }

    // Converted before the file is opened, so that bad samples never leave a file behind.
    private static string[] Quantise(EcgRecord record, double scale)
    {
        var result = new string[record.LeadCount];
        for (int l = 0; l < record.LeadCount; l++)
        {
            ReadOnlySpan<float> lead = record.GetLead(l);
            var sb = new StringBuilder(lead.Length * 5);
            for (int i = 0; i < lead.Length; i++)
            {
                double d = Math.Round(lead[i] * 1000.0 / scale, MidpointRounding.AwayFromZero);
                if (!double.IsFinite(d) || Math.Abs(d) > int.MaxValue)
                {
                    throw new ArgumentException($"record lead '{record.LeadNames[l]}' sample {i} must be finite and at most {int.MaxValue} × {scale.ToString(CultureInfo.InvariantCulture)} µV (got {lead[i].ToString(CultureInfo.InvariantCulture)} mV).", nameof(record));
                }

                if (i > 0)
                {
                    sb.Append(i % 20 == 0 ? '\n' : ' ');
                }

                sb.Append(((int)d).ToString(CultureInfo.InvariantCulture));
            }

            result[l] = sb.ToString();
        }

        return result;
    }

    private static void WriteXml(EcgRecord record, Stream stream, AecgWriterOptions options, string[] digits)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CloseOutput = false };
        using var w = XmlWriter.Create(stream, settings);
        EcgMetadata md = record.Metadata;
        string ns = AecgReader.Namespace;
        w.WriteStartDocument();
        w.WriteStartElement("AnnotatedECG", ns);
        w.WriteAttributeString("xmlns", "xsi", null, Xsi);

        w.WriteStartElement("id", ns);
        w.WriteAttributeString("root", (options.DocumentId ?? Guid.NewGuid()).ToString("D"));
        if (md.Id is not null)
        {
            w.WriteAttributeString("extension", md.Id);
        }

        w.WriteEndElement();
        Code(w, "93000", "2.16.840.1.113883.6.12", "CPT-4");
        DateTimeOffset? start = md.AcquisitionTime;
        if (start is { } t0)
        {
            EffectiveTime(w, t0, t0 + record.Duration);
        }

        w.WriteStartElement("componentOf", ns);
        w.WriteStartElement("timepointEvent", ns);
        w.WriteStartElement("componentOf", ns);
        w.WriteStartElement("subjectAssignment", ns);
        w.WriteStartElement("subject", ns);
        w.WriteStartElement("trialSubject", ns);
        w.WriteStartElement("id", ns);
        w.WriteAttributeString("root", "2.16.840.1.113883.3.1");
        if (md.PatientId is not null)
        {
            w.WriteAttributeString("extension", md.PatientId);
        }

        w.WriteEndElement();
        if (md.Sex != Sex.Unknown)
        {
            w.WriteStartElement("subjectDemographicPerson", ns);
            w.WriteStartElement("administrativeGenderCode", ns);
            w.WriteAttributeString("code", md.Sex == Sex.Male ? "M" : "F");
            w.WriteAttributeString("codeSystem", "2.16.840.1.113883.5.1");
            w.WriteEndElement();
            w.WriteEndElement();
        }

        for (int i = 0; i < 6; i++)
        {
            w.WriteEndElement(); // trialSubject … componentOf
        }

        if (md.Age is { } age)
        {
            w.WriteStartElement("controlVariable", ns);
            w.WriteStartElement("relatedObservation", ns);
            Code(w, "21612-7", "2.16.840.1.113883.6.1", "LOINC");
            Value(w, "PQ", EcgFormatHelpers.Invariant(age), "a");
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteStartElement("component", ns);
        w.WriteStartElement("series", ns);
        Code(w, "RHYTHM", "2.16.840.1.113883.5.4", "ActCode");
        if (start is { } s0)
        {
            EffectiveTime(w, s0, s0 + record.Duration);
        }

        w.WriteStartElement("component", ns);
        w.WriteStartElement("sequenceSet", ns);
        w.WriteStartElement("component", ns);
        w.WriteStartElement("sequence", ns);
        Code(w, start is null ? "TIME_RELATIVE" : "TIME_ABSOLUTE", "2.16.840.1.113883.5.4", "ActCode");
        w.WriteStartElement("value", ns);
        w.WriteAttributeString("type", Xsi, start is null ? "GLIST_PQ" : "GLIST_TS");
        w.WriteStartElement("head", ns);
        w.WriteAttributeString("value", start is { } h ? Ts(h) : "0");
        if (start is null)
        {
            w.WriteAttributeString("unit", "s");
        }

        w.WriteEndElement();
        w.WriteStartElement("increment", ns);
        w.WriteAttributeString("value", EcgFormatHelpers.Invariant(1.0 / record.SamplingRate));
        w.WriteAttributeString("unit", "s");
        w.WriteEndElement();
        w.WriteEndElement(); // value
        w.WriteEndElement(); // sequence
        w.WriteEndElement(); // component

        for (int l = 0; l < record.LeadCount; l++)
        {
            string name = record.LeadNames[l];
            w.WriteStartElement("component", ns);
            w.WriteStartElement("sequence", ns);
            Code(w, "MDC_ECG_LEAD_" + (StandardLeads.TryGetStandardIndex(name, out _) ? name.ToUpperInvariant() : name), "2.16.840.1.113883.6.24", "MDC");
            w.WriteStartElement("value", ns);
            w.WriteAttributeString("type", Xsi, "SLIST_PQ");
            Quantity(w, "origin", "0", "uV");
            Quantity(w, "scale", EcgFormatHelpers.Invariant(options.ScaleMicrovolts), "uV");
            w.WriteElementString("digits", ns, digits[l]);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement(); // sequenceSet
        w.WriteEndElement(); // component

        var statements = md.Report?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        // EcgMetadata.Empty.Properties is null today (static initialisation order in EcgMetadata), hence the fallback.
        var measurements = (md.Properties ?? new Dictionary<string, string>()).Where(p => p.Key.StartsWith("MDC_", StringComparison.Ordinal)).ToList();
        if (statements.Length > 0 || measurements.Count > 0)
        {
            w.WriteStartElement("subjectOf", ns);
            w.WriteStartElement("annotationSet", ns);
            foreach (var (key, text) in measurements)
            {
                string[] parts = text.Split(' ', 2, StringSplitOptions.TrimEntries);
                if (EcgFormatHelpers.TryParseDouble(parts[0], out _))
                {
                    Annotation(w, key, () => Value(w, "PQ", parts[0], parts.Length > 1 ? parts[1] : null));
                }
            }

            foreach (string line in statements)
            {
                Annotation(w, "MDC_ECG_INTERPRETATION_STATEMENT", () =>
                {
                    w.WriteStartElement("value", ns);
                    w.WriteAttributeString("type", Xsi, "ST");
                    w.WriteString(line);
                    w.WriteEndElement();
                });
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement(); // series
        w.WriteEndElement(); // component
        w.WriteEndElement(); // AnnotatedECG
        w.WriteEndDocument();

        static void Code(XmlWriter w, string code, string system, string systemName)
        {
            w.WriteStartElement("code", AecgReader.Namespace);
            w.WriteAttributeString("code", code);
            w.WriteAttributeString("codeSystem", system);
            w.WriteAttributeString("codeSystemName", systemName);
            w.WriteEndElement();
        }

        static void Value(XmlWriter w, string type, string value, string? unit)
        {
            w.WriteStartElement("value", AecgReader.Namespace);
            w.WriteAttributeString("type", Xsi, type);
            w.WriteAttributeString("value", value);
            if (!string.IsNullOrEmpty(unit))
            {
                w.WriteAttributeString("unit", unit);
            }

            w.WriteEndElement();
        }

        static void Quantity(XmlWriter w, string element, string value, string unit)
        {
            w.WriteStartElement(element, AecgReader.Namespace);
            w.WriteAttributeString("value", value);
            w.WriteAttributeString("unit", unit);
            w.WriteEndElement();
        }

        static void EffectiveTime(XmlWriter w, DateTimeOffset low, DateTimeOffset high)
        {
            w.WriteStartElement("effectiveTime", AecgReader.Namespace);
            w.WriteStartElement("low", AecgReader.Namespace);
            w.WriteAttributeString("value", Ts(low));
            w.WriteAttributeString("inclusive", "true");
            w.WriteEndElement();
            w.WriteStartElement("high", AecgReader.Namespace);
            w.WriteAttributeString("value", Ts(high));
            w.WriteAttributeString("inclusive", "false");
            w.WriteEndElement();
            w.WriteEndElement();
        }

        static void Annotation(XmlWriter w, string code, Action writeValue)
        {
            w.WriteStartElement("component", AecgReader.Namespace);
            w.WriteStartElement("annotation", AecgReader.Namespace);
            Code(w, code, "2.16.840.1.113883.6.24", "MDC");
            writeValue();
            w.WriteEndElement();
            w.WriteEndElement();
        }
    }

    private static string Ts(DateTimeOffset t) =>
        t.ToString("yyyyMMddHHmmss.fff", CultureInfo.InvariantCulture) + (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
}
