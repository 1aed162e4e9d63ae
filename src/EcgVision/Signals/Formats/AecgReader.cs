using System.Globalization;
using System.Xml.Linq;
using EcgVision.Internal;

namespace EcgVision.Signals.Formats;

/// <summary>Reads HL7 v3 annotated ECG (aECG) XML files (<c>AnnotatedECG</c>, namespace <c>urn:hl7-org:v3</c>).</summary>
/// <remarks>
/// <para>
/// Samples: each lead is a <c>sequence</c> with an <c>SLIST_PQ</c> value, <c>physical = origin + scale × digit</c>
/// (units uV, mV, nV or V; converted to mV). The sampling rate is <c>1 / increment</c> of the sequence set's
/// <c>GLIST_TS</c> (<c>TIME_ABSOLUTE</c>) or <c>GLIST_PQ</c> (<c>TIME_RELATIVE</c>) time sequence (unit s or ms).
/// The first <c>series</c> coded <c>RHYTHM</c> (else the first series) is the rhythm; its first
/// <c>derivedSeries</c> coded <c>REPRESENTATIVE_BEAT</c> gives <see cref="EcgDocument.RepresentativeBeats"/>.
/// Only the first <c>sequenceSet</c> of a series is read.
/// </para>
/// <para>
/// Lead codes: MDC codes of the 12 standard leads (<c>MDC_ECG_LEAD_I</c>, <c>…_AVR</c>, <c>…_V1</c>) map to the
/// standard names; any other code is <b>kept under its own name</b> with the <c>MDC_ECG_LEAD_</c> prefix removed
/// (<c>MDC_ECG_LEAD_V7</c> → <c>V7</c>, <c>MDC_ECG_LEAD_X</c> → <c>X</c>). Leads stay in file order.
/// </para>
/// <para>
/// Metadata: <c>Id</c> (document id), <c>PatientId</c> (trial subject id), <c>Sex</c>, <c>Age</c> (LOINC 21612-7
/// "Reported Age", else from <c>birthTime</c>), <c>AcquisitionTime</c> (series <c>effectiveTime</c>; HL7 TS without
/// a zone is taken as UTC), <c>Report</c> (every <c>MDC_ECG_INTERPRETATION_STATEMENT</c>, one per line), and in
/// <c>Properties</c> the series-level <c>PQ</c> annotations (<c>MDC_ECG_HEART_RATE</c> = <c>"41 /min"</c>, …),
/// <c>Device</c> and <c>Format</c>. Security: DTDs are ignored and nothing external is resolved (see <see cref="EcgFile"/>).
/// </para>
/// </remarks>
public static class AecgReader
{
    /// <summary>The HL7 v3 namespace.</summary>
    public const string Namespace = "urn:hl7-org:v3";

    private static readonly XNamespace V3 = Namespace;
    private static readonly XName XsiType = XName.Get("type", "http://www.w3.org/2001/XMLSchema-instance");

    /// <summary>Reads the rhythm strip of an aECG file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rhythm record.</returns>
    /// <exception cref="EcgFormatException">The file is not a readable aECG; the message names the file, field and value.</exception>
    public static EcgRecord Read(string path) => ReadDocument(path).Rhythm;

    /// <summary>Reads the rhythm strip of an aECG stream (not disposed).</summary>
    /// <param name="stream">The XML.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>The rhythm record.</returns>
    /// <exception cref="EcgFormatException">The stream is not a readable aECG.</exception>
    public static EcgRecord Read(Stream stream, string? nameForMessages = null) => ReadDocument(stream, nameForMessages).Rhythm;

    /// <summary>Reads an aECG file with its representative beats.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Rhythm and representative beats.</returns>
    /// <exception cref="EcgFormatException">The file is not a readable aECG.</exception>
    public static EcgDocument ReadDocument(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return ReadDocument(stream, path);
    }

    /// <summary>Reads an aECG stream (not disposed) with its representative beats.</summary>
    /// <param name="stream">The XML.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>Rhythm and representative beats.</returns>
    /// <exception cref="EcgFormatException">The stream is not a readable aECG.</exception>
    public static EcgDocument ReadDocument(Stream stream, string? nameForMessages = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = nameForMessages ?? "stream";
        XDocument doc = SafeXml.Load(stream, source);
        XElement root = doc.Root!;
        if (root.Name != V3 + "AnnotatedECG")
        {
            throw new EcgFormatException($"the root element must be AnnotatedECG in namespace {Namespace} (got {root.Name.LocalName} in '{root.Name.NamespaceName}').", source, "root element");
        }

        var allSeries = root.Elements(V3 + "component").Elements(V3 + "series").ToList();
        XElement series = allSeries.FirstOrDefault(s => Code(s) == "RHYTHM") ?? allSeries.FirstOrDefault()
            ?? throw new EcgFormatException("the document holds no component/series element.", source, "series");

        var metadata = ReadMetadata(root, series, source);
        var (rhythmLeads, rhythmRate) = ReadSequenceSet(series, source, "rhythm series");
        EcgRecord rhythm = EcgFormatHelpers.BuildRecord(rhythmLeads, rhythmRate, metadata, source, "rhythm series");

        EcgRecord? beats = null;
        XElement? derived = series.Elements(V3 + "derivation").Elements(V3 + "derivedSeries")
            .FirstOrDefault(d => Code(d) == "REPRESENTATIVE_BEAT");
        if (derived is not null && derived.Elements(V3 + "component").Elements(V3 + "sequenceSet").Any())
        {
            var (beatLeads, beatRate) = ReadSequenceSet(derived, source, "representative-beat series");
            beats = EcgFormatHelpers.BuildRecord(beatLeads, beatRate, metadata, source, "representative-beat series");
        }

        return new EcgDocument(rhythm, beats, EcgFileFormat.HL7Aecg);
    }

    private static (List<(string, float[])> Leads, double Rate) ReadSequenceSet(XElement series, string source, string what)
    {
        XElement set = series.Elements(V3 + "component").Elements(V3 + "sequenceSet").FirstOrDefault()
            ?? throw new EcgFormatException($"the {what} holds no component/sequenceSet.", source, "sequenceSet");
        double? increment = null;
        var leads = new List<(string, float[])>();
        foreach (XElement seq in set.Elements(V3 + "component").Elements(V3 + "sequence"))
        {
            string code = Code(seq) ?? "";
            XElement? value = seq.Element(V3 + "value");
            string type = TypeOf(value);
            if (type is "GLIST_TS" or "GLIST_PQ")
            {
                XElement inc = value!.Element(V3 + "increment")
                    ?? throw new EcgFormatException($"the {code} time sequence of the {what} has no increment.", source, "increment");
                double seconds = ParseQuantity(inc, source, $"increment of {code}") * (Unit(inc) switch
                {
                    "s" or "" => 1.0,
                    "ms" => 1e-3,
                    "us" => 1e-6,
                    var u => throw new EcgFormatException($"the increment unit must be s, ms or us (got '{u}').", source, "increment unit"),
                });
                if (seconds <= 0)
                {
                    throw new EcgFormatException($"the time increment must be positive (got {EcgFormatHelpers.Invariant(seconds)} s) in the {what}.", source, "increment");
                }

                increment ??= seconds;
                continue;
            }

            if (type != "SLIST_PQ")
            {
                continue;
            }

            if (code.Length == 0)
            {
                throw new EcgFormatException($"sequence {leads.Count} of the {what} has an SLIST_PQ value but no code naming its lead.", source, "sequence code");
            }

            string name = StandardLeads.TryGetStandardIndex(code, out _) ? code
                : code.StartsWith("MDC_ECG_LEAD_", StringComparison.Ordinal) && code.Length > 13 ? code[13..] : code;
            leads.Add((name, ReadSlist(value!, source, $"{code} in the {what}")));
        }

        if (increment is null)
        {
            throw new EcgFormatException($"the {what} has no GLIST_TS/GLIST_PQ time sequence, so its sampling rate is unknown.", source, "time sequence");
        }

        // 1 / (1 / 360) is 360.00000000000006 in binary floating point: snap to a whole rate when within 1 µHz.
        double rate = 1.0 / increment.Value;
        return (leads, Math.Abs(rate - Math.Round(rate)) < 1e-6 ? Math.Round(rate) : rate);
    }

    private static float[] ReadSlist(XElement value, string source, string what)
    {
        XElement origin = value.Element(V3 + "origin") ?? throw new EcgFormatException($"{what}: SLIST_PQ has no origin.", source, "origin");
        XElement scale = value.Element(V3 + "scale") ?? throw new EcgFormatException($"{what}: SLIST_PQ has no scale.", source, "scale");
        double o = ParseQuantity(origin, source, $"origin of {what}") * Millivolts(origin, source, what);
        double s = ParseQuantity(scale, source, $"scale of {what}") * Millivolts(scale, source, what);
        string digits = value.Element(V3 + "digits")?.Value
            ?? throw new EcgFormatException($"{what}: SLIST_PQ has no digits.", source, "digits");

        // Count first, then allocate exactly: the size is bounded by the (already size-checked) document.
        ReadOnlySpan<char> text = digits;
        int count = 0;
        foreach (Range _ in text.SplitAny(" \t\r\n"))
        {
            count++;
        }

        var samples = new float[count];
        int n = 0;
        foreach (Range r in text.SplitAny(" \t\r\n"))
        {
            ReadOnlySpan<char> token = text[r];
            if (token.IsEmpty)
            {
                continue;
            }

            if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int d))
            {
                throw new EcgFormatException($"{what}: digit {n} must be an integer (got '{token.ToString()}').", source, "digits");
            }

            samples[n++] = (float)(o + (s * d));
        }

        return n == count ? samples : samples[..n];
    }

    private static double Millivolts(XElement quantity, string source, string what)
    {
        string unit = Unit(quantity);
        return EcgFormatHelpers.MillivoltsPer(unit)
            ?? throw new EcgFormatException($"{what}: the {quantity.Name.LocalName} unit must be a voltage (uV, mV, nV, V) (got '{unit}').", source, $"{quantity.Name.LocalName} unit");
    }

    private static double ParseQuantity(XElement e, string source, string what)
    {
        string? v = (string?)e.Attribute("value");
        return EcgFormatHelpers.TryParseDouble(v, out double d) ? d
            : throw new EcgFormatException($"{what} must be a finite number (got '{v}').", source, what);
    }

    private static EcgMetadata ReadMetadata(XElement root, XElement series, string source)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Format"] = "HL7 aECG" };
        XElement? id = root.Element(V3 + "id");
        string? docId = (string?)id?.Attribute("extension") ?? (string?)id?.Attribute("root");
        XElement? subject = root.Descendants(V3 + "trialSubject").FirstOrDefault();
        string? patientId = (string?)subject?.Element(V3 + "id")?.Attribute("extension");
        XElement? person = subject?.Descendants(V3 + "subjectDemographicPerson").FirstOrDefault();
        Sex sex = ((string?)person?.Element(V3 + "administrativeGenderCode")?.Attribute("code"))?.Trim().ToUpperInvariant() switch
        {
            "M" => Sex.Male,
            "F" => Sex.Female,
            _ => Sex.Unknown,
        };

        DateTimeOffset? acquired = ParseTs(TimeOf(series)) ?? ParseTs(TimeOf(root));
        double? age = null;
        XElement? ageObs = root.Descendants(V3 + "relatedObservation").FirstOrDefault(o => Code(o) == "21612-7");
        XElement? ageValue = ageObs?.Element(V3 + "value");
        if (ageValue is not null && EcgFormatHelpers.TryParseDouble((string?)ageValue.Attribute("value"), out double a))
        {
            age = Unit(ageValue) switch { "mo" => a / 12, "wk" => a / 52.1775, "d" => a / 365.25, _ => a };
        }
        else if (ParseTs((string?)person?.Element(V3 + "birthTime")?.Attribute("value")) is { } birth && acquired is { } at)
        {
            age = Math.Floor((at - birth).TotalDays / 365.25);
        }

        string? device = series.Descendants(V3 + "manufacturerModelName").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        if (device is not null)
        {
            properties["Device"] = device;
        }

        var statements = new List<string>();
        foreach (XElement annotation in root.Descendants(V3 + "annotation"))
        {
            if (Code(annotation) == "MDC_ECG_INTERPRETATION_STATEMENT" || (Code(annotation) == "MDC_ECG_INTERPRETATION" && TypeOf(annotation.Element(V3 + "value")) == "ST"))
            {
                string text = annotation.Element(V3 + "value")?.Value.Trim() ?? "";
                if (text.Length > 0)
                {
                    statements.Add(text);
                }
            }
        }

        // Series-level measurements: annotationSet/component/annotation with a PQ value (beat-level ones are nested deeper).
        var seriesLevel = new[] { series }.Concat(series.Elements(V3 + "derivation").Elements(V3 + "derivedSeries"));
        foreach (XElement annotation in seriesLevel.Elements(V3 + "subjectOf").Elements(V3 + "annotationSet")
            .Elements(V3 + "component").Elements(V3 + "annotation"))
        {
            XElement? value = annotation.Element(V3 + "value");
            string? code = Code(annotation);
            if (code is not null && TypeOf(value) == "PQ" && (string?)value!.Attribute("value") is { } v)
            {
                string unit = Unit(value);
                properties.TryAdd(code, unit.Length > 0 ? $"{v} {unit}" : v);
            }
        }

        return new EcgMetadata
        {
            Id = docId,
            PatientId = patientId,
            Sex = sex,
            Age = age,
            AcquisitionTime = acquired,
            Report = statements.Count > 0 ? string.Join('\n', statements) : null,
            Source = source,
            Properties = properties.AsReadOnly(),
        };
    }

    private static string? TimeOf(XElement e)
    {
        XElement? t = e.Element(V3 + "effectiveTime");
        return (string?)t?.Element(V3 + "low")?.Attribute("value") ?? (string?)t?.Element(V3 + "center")?.Attribute("value");
    }

    /// <summary>Parses an HL7 TS (<c>yyyyMMddHHmmss.fff±zzzz</c>, any trailing part optional); no zone = UTC.</summary>
    internal static DateTimeOffset? ParseTs(string? ts)
    {
        if (string.IsNullOrWhiteSpace(ts))
        {
            return null;
        }

        ts = ts.Trim();
        TimeSpan offset = TimeSpan.Zero;
        int zone = ts.IndexOfAny(['+', '-']);
        if (zone > 0)
        {
            string z = ts[(zone + 1)..];
            if (z.Length == 4 && int.TryParse(z[..2], CultureInfo.InvariantCulture, out int zh) && int.TryParse(z[2..], CultureInfo.InvariantCulture, out int zm))
            {
                offset = new TimeSpan(zh, zm, 0) * (ts[zone] == '-' ? -1 : 1);
            }

            ts = ts[..zone];
        }

        string main = ts.Split('.')[0];
        double fraction = ts.Contains('.') && double.TryParse("0." + ts.Split('.')[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double f) ? f : 0;
        if (main.Length < 8 || main.Length > 14 || main.Length % 2 != 0 || !main.All(char.IsAsciiDigit))
        {
            return null;
        }

        int Part(int start, int fallback) => main.Length >= start + 2 ? int.Parse(main.AsSpan(start, 2), CultureInfo.InvariantCulture) : fallback;
        try
        {
            var dt = new DateTimeOffset(int.Parse(main.AsSpan(0, 4), CultureInfo.InvariantCulture), Part(4, 1), Part(6, 1), Part(8, 0), Part(10, 0), Part(12, 0), offset);
            return dt.AddTicks((long)Math.Round(fraction * TimeSpan.TicksPerSecond));
        }
        catch (ArgumentException)
        {
            // Out-of-range month/day/hour or a zone beyond ±14 h: not a usable time stamp.
            return null;
        }
    }

    private static string? Code(XElement e) => ((string?)e.Element(V3 + "code")?.Attribute("code"))?.Trim();

    private static string Unit(XElement e) => ((string?)e.Attribute("unit"))?.Trim() ?? "";

    private static string TypeOf(XElement? value)
    {
        string? t = (string?)value?.Attribute(XsiType);
        if (t is null)
        {
            return "";
        }

        int colon = t.IndexOf(':');
        return colon >= 0 ? t[(colon + 1)..] : t;
    }
}
