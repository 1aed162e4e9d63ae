using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EcgVision.Signals;
using EcgVision.Signals.Wfdb;
using Spectre.Console;

namespace EcgVision.Cli.Commands;

/// <summary><c>ecgvision inspect &lt;record&gt; [--json]</c>: header, leads, rate, duration, report, codes and per-lead statistics of a record.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var record = new Argument<string>("record") { Description = "The record: a WFDB .hea file or record path without extension (e.g. records100/00000/00001_lr), or a clinical export (DICOM waveform, HL7 aECG, Philips Sierra XML, GE MUSE XML, SCP-ECG, EDF), detected from its content." };
        var json = new Option<bool>("--json") { Description = "Write one JSON object to stdout instead of tables." };
        var noDataset = new Option<bool>("--no-dataset") { Description = "Do not look for a PTB-XL ptbxl_database.csv above the record to attach its report and codes." };
        var command = new Command("inspect", "Show a record's header, leads, sampling rate, duration, report, codes and per-lead min/max/mean.");
        command.Arguments.Add(record);
        command.Options.Add(json);
        command.Options.Add(noDataset);
        CliCommand.SetHandler(command, parseResult =>
        {
            string path = parseResult.GetValue(record)!;
            var ecg = EcgRecordLoader.Load(path, new EcgRecordLoaderOptions { AttachDatasetMetadata = !parseResult.GetValue(noDataset) });
            WfdbHeader? header = TryReadHeader(path);
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(ToJson(path, ecg, header));
            }
            else
            {
                WriteTables(path, ecg, header);
            }

            return 0;
        });
        return command;
    }

    private static WfdbHeader? TryReadHeader(string path)
    {
        try
        {
            return WfdbReader.ReadHeader(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    internal readonly record struct LeadStatistics(string Lead, double? Min, double? Max, double? Mean, int NaNCount);

    internal static IReadOnlyList<LeadStatistics> Statistics(EcgRecord record)
    {
        var result = new List<LeadStatistics>(record.LeadCount);
        for (int i = 0; i < record.LeadCount; i++)
        {
            var lead = record.GetLead(i);
            double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
            int valid = 0, nan = 0;
            foreach (float v in lead)
            {
                if (float.IsNaN(v))
                {
                    nan++;
                    continue;
                }

                min = Math.Min(min, v);
                max = Math.Max(max, v);
                sum += v;
                valid++;
            }

            result.Add(valid == 0
                ? new LeadStatistics(record.LeadNames[i], null, null, null, nan)
                : new LeadStatistics(record.LeadNames[i], min, max, sum / valid, nan));
        }

        return result;
    }

    private static string FormatName(string path)
    {
        using var stream = File.OpenRead(path);
        return EcgVision.Signals.Formats.EcgFile.DetectFormat(stream).ToString();
    }

    private static string ToJson(string path, EcgRecord ecg, WfdbHeader? header)
    {
        var md = ecg.Metadata;
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("path", path);
            w.WriteString("format", header is null ? FormatName(path) : "WFDB");
            w.WriteString("id", md.Id);
            w.WriteNumber("leadCount", ecg.LeadCount);
            w.WriteStartArray("leads");
            foreach (string lead in ecg.LeadNames)
            {
                w.WriteStringValue(lead);
            }

            w.WriteEndArray();
            w.WriteNumber("samplingRate", ecg.SamplingRate);
            w.WriteNumber("sampleCount", ecg.SampleCount);
            w.WriteNumber("durationSeconds", ecg.Duration.TotalSeconds);

            w.WriteStartObject("metadata");
            w.WriteString("id", md.Id);
            w.WriteString("patientId", md.PatientId);
            if (md.Age is double age)
            {
                w.WriteNumber("age", age);
            }
            else
            {
                w.WriteNull("age");
            }

            w.WriteString("sex", md.Sex.ToString());
            w.WriteString("report", md.Report);
            w.WriteStartObject("codes");
            foreach (var (code, likelihood) in md.Codes)
            {
                w.WriteNumber(code, likelihood);
            }

            w.WriteEndObject();
            WriteStrings(w, "superclasses", md.Superclasses);
            WriteStrings(w, "subclasses", md.Subclasses);
            w.WriteString("stratFold", md.Properties.TryGetValue("strat_fold", out string? fold) ? fold : null);
            w.WriteString("acquisitionTime", md.AcquisitionTime?.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            w.WriteString("source", md.Source);
            WriteStrings(w, "comments", md.Comments);
            w.WriteStartObject("properties");
            foreach (var (key, value) in md.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();

            if (header is not null)
            {
                w.WriteStartObject("header");
                w.WriteString("recordName", header.RecordName);
                w.WriteNumber("signalCount", header.SignalCount);
                w.WriteNumber("samplingFrequency", header.SamplingFrequency);
                if (header.SampleCount is int n)
                {
                    w.WriteNumber("sampleCount", n);
                }

                w.WriteString("baseTime", header.BaseTime?.ToString("HH:mm:ss.FFF", CultureInfo.InvariantCulture));
                w.WriteString("baseDate", header.BaseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteStartArray("signals");
                foreach (var s in header.Signals)
                {
                    w.WriteStartObject();
                    w.WriteString("description", s.Description);
                    w.WriteString("fileName", s.FileName);
                    w.WriteNumber("format", (int)s.Format);
                    w.WriteNumber("samplesPerFrame", s.SamplesPerFrame);
                    w.WriteNumber("skew", s.Skew);
                    w.WriteNumber("byteOffset", s.ByteOffset);
                    w.WriteNumber("gain", s.Gain);
                    w.WriteNumber("baseline", s.Baseline);
                    w.WriteString("units", s.Units);
                    w.WriteNumber("adcResolution", s.AdcResolution);
                    w.WriteNumber("adcZero", s.AdcZero);
                    if (s.InitialValue is int iv)
                    {
                        w.WriteNumber("initialValue", iv);
                    }

                    if (s.Checksum is int cs)
                    {
                        w.WriteNumber("checksum", cs);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteStartArray("leadStatistics");
            foreach (var s in Statistics(ecg))
            {
                w.WriteStartObject();
                w.WriteString("lead", s.Lead);
                WriteNumberOrNull(w, "min", s.Min);
                WriteNumberOrNull(w, "max", s.Max);
                WriteNumberOrNull(w, "mean", s.Mean);
                w.WriteNumber("nanCount", s.NaNCount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v)
        {
            w.WriteNumber(name, Math.Round(v, 6));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteTables(string path, EcgRecord ecg, WfdbHeader? header)
    {
        var md = ecg.Metadata;
        var console = AnsiConsole.Console;
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow(new Markup($"[bold]{key}[/]"), new Text(value ?? "–"));
        Row("Record", path);
        Row("Format", header is null ? FormatName(path) : $"WFDB ({string.Join(", ", header.Signals.Select(s => (int)s.Format).Distinct())})");
        Row("Id", md.Id);
        Row("Leads", $"{ecg.LeadCount}: {string.Join(" ", ecg.LeadNames)}");
        Row("Sampling rate", $"{CliCommand.Inv(ecg.SamplingRate)} Hz");
        Row("Samples", ecg.SampleCount.ToString(CultureInfo.InvariantCulture));
        Row("Duration", $"{CliCommand.Inv(ecg.Duration.TotalSeconds)} s");
        Row("Patient", md.PatientId);
        Row("Age / sex", $"{(md.Age is double a ? CliCommand.Inv(a) : "?")} / {md.Sex}");
        Row("Acquired", md.AcquisitionTime?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Row("Report", md.Report);
        Row("Codes", md.Codes.Count == 0 ? null : string.Join(", ", md.Codes.Select(kv => $"{kv.Key} ({CliCommand.Inv(kv.Value)})")));
        Row("Superclasses", md.Superclasses.Count == 0 ? null : string.Join(", ", md.Superclasses));
        Row("Subclasses", md.Subclasses.Count == 0 ? null : string.Join(", ", md.Subclasses));
        Row("Fold", md.Properties.TryGetValue("strat_fold", out string? fold) ? fold : null);
        foreach (string comment in md.Comments)
        {
            Row("Comment", comment);
        }

        console.Write(grid);
        var table = new Table().AddColumns("Lead", "Format", "Gain", "Units", "Min (mV)", "Max (mV)", "Mean (mV)", "NaN");
        var stats = Statistics(ecg);
        for (int i = 0; i < stats.Count; i++)
        {
            var s = stats[i];
            var spec = header is not null && header.SignalCount == ecg.LeadCount ? header.Signals[i] : null;
            table.AddRow(
                Markup.Escape(s.Lead),
                spec is null ? "" : ((int)spec.Format).ToString(CultureInfo.InvariantCulture),
                spec is null ? "" : CliCommand.Inv(spec.Gain),
                spec is null ? "" : Markup.Escape(spec.Units),
                s.Min is double mn ? CliCommand.Inv(mn, "0.000") : "–",
                s.Max is double mx ? CliCommand.Inv(mx, "0.000") : "–",
                s.Mean is double me ? CliCommand.Inv(me, "0.000") : "–",
                s.NaNCount.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }
}
